// The SMTP side of the relay: who may connect, log in and send, reading DATA within the size limit, and draining on
// shutdown. What happens to a message once it is in is relay-message.ts's job.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { Config } from '../config/schema.js';
import { checkClient, checkSender, type EnvelopeRules } from './envelope-check.js';
import type { Logger } from './logger.js';
import { unmapIPv4, type ListenAddress } from './networks.js';
import { hashPassword, verifyPassword } from './passwords.js';
import {
  carriesEnhancedCode,
  replies,
  replyError,
  replyText,
  rewordServerReply,
  type SmtpReply,
} from './smtp-replies.js';

type SmtpSettings = Config['smtp'];
type SmtpUser = NonNullable<SmtpSettings['auth']>['users'][number];

/** What the listener reads afresh for every connection and command, so a reload applies without a restart. */
export interface ListenerState {
  envelope: EnvelopeRules;
  users: readonly SmtpUser[];
}

export interface AcceptedMessage {
  session: string;
  mailFrom: string;
  rcptTo: string[];
  remoteAddress: string;
  clientHostname?: string;
  authUser?: string;
  /** RFC 3848 protocol of the session, for the Received line: SMTP, ESMTP, ESMTPS, ESMTPA or ESMTPSA. */
  protocol: string;
  raw: Buffer;
}

/** HELO is plain SMTP; EHLO is ESMTP, with S over TLS and A once logged in (RFC 3848). */
function protocolOf(session: SMTPServerSession): string {
  const base = session.openingCommand === 'HELO' ? 'SMTP' : 'ESMTP';
  if (base === 'SMTP') return base;
  return `${base}${session.secure ? 'S' : ''}${typeof session.user === 'string' ? 'A' : ''}`;
}

export interface ListenerDeps {
  smtp: SmtpSettings;
  state(): ListenerState;
  /** Relays or holds one message and says what to reply; must not throw (a throw is answered 451). */
  onMessage(message: AcceptedMessage): Promise<SmtpReply>;
  logger: Logger;
  /** Default MAX_BUFFERED_BYTES. */
  maxBufferedBytes?: number;
}

export interface SmtpListener {
  /** Where it listens (the real port when 0 was asked for). */
  readonly address: ListenAddress;
  /** Applies reloaded limits and a renewed TLS certificate to new connections. */
  update(smtp: SmtpSettings): void;
  /** Stops accepting, lets messages in progress finish, then closes idle connections; bounded by closeTimeoutSeconds. */
  drain(): Promise<void>;
  /** Messages currently between the end of DATA and their reply. */
  readonly inFlight: number;
}

/**
 * Message bytes held in memory across all connections at once (being received or relayed). Without it the worst case
 * is maxClients x maxSize (200 x 25 MB = 5 GB); past it a message is answered 452 and its sender retries later.
 */
export const MAX_BUFFERED_BYTES = 256 * 1024 * 1024;

/** How often draining looks for connections that have finished their message and can be closed. */
const DRAIN_POLL_MS = 50;

interface Limits {
  maxSize: number;
  maxRecipients: number;
}

/** smtp-server's connection, made to send our replies: ours carry their enhanced code, its own are reworded. */
class RelayConnection extends SMTPConnection {
  static limits: WeakMap<object, Limits> = new WeakMap();

  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    if (typeof data === 'string') {
      const limits = RelayConnection.limits.get(this._server) ?? { maxSize: 0, maxRecipients: 0 };
      const reworded = rewordServerReply(code, data, context, limits);
      if (reworded !== undefined) return super.send(reworded.code, replyText(reworded), false);
      if (carriesEnhancedCode(data)) return super.send(code, data, false);
    }
    super.send(code, data, context);
  }
}

class RelayServer extends SMTPServer {
  override connect(socket: Socket | TLSSocket, socketOptions?: ConstructorParameters<typeof SMTPConnection>[2]): void {
    const connection = new RelayConnection(this, socket, socketOptions);
    this.connections.add(connection);
    connection.on('error', (err: Error) => this._onError(err));
    connection.on('connect', (data: unknown) => this._onClientConnect(data as never));
    connection.init();
  }
}

function tlsOptions(smtp: SmtpSettings): Pick<SMTPServerOptions, 'key' | 'cert'> | undefined {
  if (smtp.tls === undefined) return undefined;
  try {
    return { key: readFileSync(smtp.tls.key), cert: readFileSync(smtp.tls.cert) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`smtp.tls: cannot read the key or certificate (${smtp.tls.key}, ${smtp.tls.cert}): ${code}`);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

async function passwordMatches(user: SmtpUser, password: string): Promise<boolean> {
  if (user.passwordHash !== undefined) return verifyPassword(password, user.passwordHash);
  return user.password !== undefined && sameSecret(password, user.password);
}

export async function startSmtpListener(deps: ListenerDeps, listen: ListenAddress): Promise<SmtpListener> {
  const { logger } = deps;
  let smtp = deps.smtp;
  const perClient = new Map<string, number>();
  /** Sessions counted against the connection limits (a refused connection is not). */
  const counted = new Map<string, string>();
  /** Sessions whose message is being read or relayed right now. */
  const busy = new Set<string>();
  let draining = false;
  let bufferedBytes = 0;
  const maxBufferedBytes = deps.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  let decoy: Promise<string> | undefined;
  const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

  const tls = tlsOptions(smtp);
  const authConfigured = smtp.auth !== undefined && smtp.auth.users.length > 0;
  if (authConfigured && tls === undefined) {
    logger.warn('smtp.auth is set without smtp.tls: passwords will cross the network unencrypted');
  }
  if (smtp.auth?.required && !authConfigured) {
    throw new Error('smtp.auth.required is true but smtp.auth.users is empty: nobody could send');
  }
  if (smtp.requireTls && tls === undefined) {
    throw new Error('smtp.requireTls is true but smtp.tls has no key and certificate: nobody could send');
  }

  const disabledCommands: string[] = [];
  if (tls === undefined) disabledCommands.push('STARTTLS');
  if (!authConfigured) disabledCommands.push('AUTH');

  const options: SMTPServerOptions = {
    name: smtp.hostname,
    banner: 'Chaperone safeguarding relay',
    size: smtp.maxSize,
    rejectOversized: true,
    hideENHANCEDSTATUSCODES: false,
    hideDSN: true,
    disabledCommands,
    authOptional: !(smtp.auth?.required ?? false),
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: tls === undefined,
    authRequiredMessage: replyText(replies.authRequired()),
    disableReverseLookup: true,
    // Postfix (smtp_send_xforward_command) names the original client, so a held message shows the staff member's
    // address rather than Postfix's. Only clients already admitted by smtp.allowNetworks can send it.
    useXForward: true,
    socketTimeout: smtp.socketTimeoutSeconds * 1000,
    closeTimeout: smtp.closeTimeoutSeconds * 1000,
    logger: false,
    ...tls,

    onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void): void {
      const address = unmapIPv4(session.remoteAddress);
      const refused = draining ? replies.shuttingDown() : checkClient(deps.state().envelope, address);
      if (refused !== undefined) {
        logger.warn(
          { event: 'connection-refused', session: session.id, client: address, reply: refused.code },
          refused.text,
        );
        return callback(replyError(refused));
      }
      const fromClient = perClient.get(address) ?? 0;
      if (counted.size >= smtp.maxClients) return callback(replyError(replies.tooManyConnections()));
      if (fromClient >= smtp.maxConnectionsPerClient) {
        logger.warn({ event: 'connection-refused', session: session.id, client: address }, 'too many connections');
        return callback(replyError(replies.tooManyConnectionsFromClient(address)));
      }
      perClient.set(address, fromClient + 1);
      counted.set(session.id, address);
      callback();
    },

    onClose(session: SMTPServerSession): void {
      const address = counted.get(session.id);
      if (address === undefined) return;
      counted.delete(session.id);
      const left = (perClient.get(address) ?? 1) - 1;
      if (left <= 0) perClient.delete(address);
      else perClient.set(address, left);
    },

    onAuth(auth, session, callback): void {
      const users = deps.state().users;
      const user = users.find((u) => u.username === auth.username);
      const password = auth.password ?? '';
      // An unknown user name costs the same scrypt check as a known one, so timing does not tell which names exist.
      const check =
        user !== undefined
          ? passwordMatches(user, password)
          : decoyHash().then((hash) => verifyPassword(password, hash).then(() => false));
      check.then(
        (ok) => {
          if (ok && user !== undefined) return callback(null, { user: user.username });
          logger.warn(
            { event: 'auth-failed', session: session.id, client: unmapIPv4(session.remoteAddress) },
            'SMTP AUTH failed',
          );
          callback(replyError(replies.authFailed()));
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },

    onMailFrom(address, session, callback): void {
      const refused = checkSender(deps.state().envelope, address.address, session.secure);
      if (refused !== undefined) {
        logger.warn(
          {
            event: 'sender-refused',
            session: session.id,
            client: unmapIPv4(session.remoteAddress),
            sender: address.address,
          },
          refused.text,
        );
        return callback(replyError(refused));
      }
      // A client that declares the size (RFC 1870) is told now, not after sending it all, when it would not fit.
      const declared = address.args === false ? NaN : Number(address.args.SIZE);
      if (declared > 0 && bufferedBytes + declared > maxBufferedBytes) {
        logger.warn({ event: 'relay-busy', session: session.id, bufferedBytes, declared }, 'message refused for now');
        return callback(replyError(replies.relayBusy()));
      }
      callback();
    },

    onData(stream, session, callback): void {
      busy.add(session.id);
      const chunks: Buffer[] = [];
      let size = 0;
      let kept = 0;
      let overloaded = false;
      let finished = false;
      const finish = (err: Error | null, text?: string): void => {
        if (finished) return;
        finished = true;
        clearTimeout(tooSlow);
        busy.delete(session.id);
        bufferedBytes -= kept;
        callback(err, text);
      };
      // Only the sending is timed: once the message is in, screening and the upstream take what they take.
      const tooSlow = setTimeout(() => {
        if (finished) return;
        logger.warn(
          { event: 'data-too-slow', session: session.id, received: size, seconds: smtp.dataTimeoutSeconds },
          'closed a connection whose message was still arriving after the DATA time limit',
        );
        const connection = [...server.connections].find((c) => c.session.id === session.id);
        connection?.send(421, replyText(replies.dataTooSlow(smtp.dataTimeoutSeconds)));
        finish(replyError(replies.dataTooSlow(smtp.dataTimeoutSeconds)));
      }, smtp.dataTimeoutSeconds * 1000);
      tooSlow.unref();
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the size limit the rest is read and dropped: smtp-server answers 552 once the client finishes.
        if (size > smtp.maxSize || overloaded) return;
        if (bufferedBytes + chunk.length > maxBufferedBytes) {
          overloaded = true;
          bufferedBytes -= kept;
          kept = 0;
          chunks.length = 0;
          return;
        }
        chunks.push(chunk);
        kept += chunk.length;
        bufferedBytes += chunk.length;
      });
      stream.on('error', (error: Error) => {
        logger.info({ event: 'data-aborted', session: session.id, error: error.message }, 'client left during DATA');
        finish(error);
      });
      stream.on('end', () => {
        clearTimeout(tooSlow);
        if (stream.sizeExceeded) return finish(replyError(replies.messageTooBig(smtp.maxSize)));
        if (overloaded) {
          logger.warn(
            { event: 'relay-busy', session: session.id, bufferedBytes },
            'message refused for now: memory limit',
          );
          return finish(replyError(replies.relayBusy()));
        }
        const message: AcceptedMessage = {
          session: session.id,
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          remoteAddress: unmapIPv4(session.remoteAddress),
          clientHostname: session.hostNameAppearsAs || undefined,
          authUser: typeof session.user === 'string' ? session.user : undefined,
          protocol: protocolOf(session),
          raw: Buffer.concat(chunks, size),
        };
        deps.onMessage(message).then(
          (reply) => {
            if (reply.code < 400) finish(null, replyText(reply));
            else finish(replyError(reply));
          },
          (error: unknown) => {
            logger.error(
              { session: session.id, error: error instanceof Error ? error.stack : String(error) },
              'relay failed',
            );
            finish(replyError(replies.localError()));
          },
        );
      });
    },
  };

  const server = new RelayServer(options);
  RelayConnection.limits.set(server, { maxSize: smtp.maxSize, maxRecipients: smtp.maxRecipients });
  server.options.maxRecipients = smtp.maxRecipients;
  // smtp-server re-emits a failure to listen as its own 'error'; until listening, that is reported once, as the
  // smtp.listen error below, not also as a connection warning.
  let listening = false;
  server.on('error', (error: Error) => {
    if (listening) logger.warn({ event: 'smtp-error', error: error.message }, 'SMTP connection error');
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void =>
      reject(new Error(`smtp.listen: cannot listen on ${listen.host}:${listen.port}: ${error.message}`));
    server.server.once('error', onError);
    server.listen(listen.port, listen.host, () => {
      server.server.off('error', onError);
      listening = true;
      resolve();
    });
  });
  const bound = server.server.address() as AddressInfo;
  const address: ListenAddress = { host: bound.address, port: bound.port };

  return {
    address,
    get inFlight(): number {
      return busy.size;
    },
    update(next: SmtpSettings): void {
      smtp = next;
      server.options.size = next.maxSize;
      server.options.maxRecipients = next.maxRecipients;
      server.options.socketTimeout = next.socketTimeoutSeconds * 1000;
      server.options.closeTimeout = next.closeTimeoutSeconds * 1000;
      RelayConnection.limits.set(server, { maxSize: next.maxSize, maxRecipients: next.maxRecipients });
      const renewed = tlsOptions(next);
      if (renewed !== undefined && tls !== undefined) server.updateSecureContext(renewed);
    },
    drain(): Promise<void> {
      draining = true;
      return new Promise((resolve) => {
        const deadline = Date.now() + smtp.closeTimeoutSeconds * 1000;
        server.close(() => {
          clearInterval(poll);
          resolve();
        });
        // Connections with no message in progress are told we are going and closed now; the others get their reply first.
        const closeIdle = (): void => {
          for (const connection of server.connections) {
            if (busy.has(connection.session.id) || connection._closing || connection._closed) continue;
            connection.send(421, replyText(replies.shuttingDown()));
          }
          if (Date.now() > deadline) clearInterval(poll);
        };
        const poll = setInterval(closeIdle, DRAIN_POLL_MS);
        closeIdle();
      });
    },
  };
}
