// Delivers accepted mail to the school's real outbound relay over SMTP, through a pool of reused connections.
import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Config } from '../config/schema.js';
import type { DeliveryResult, Upstream, UpstreamEnvelope } from './upstream.js';

type UpstreamOptions = Config['upstreamOptions'];

export interface SmtpUpstreamTarget {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (smtps://, port 465 style). */
  secure: boolean;
  /** Credentials from the URL (smtp://user:pass@host), used when upstreamOptions.auth is not set. */
  auth?: { user: string; pass: string };
}

/** Connection failures with no SMTP reply: the upstream is down or unreachable, so the client should retry. */
const UNREACHABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ECONNRESET']);

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  rejected?: string[];
  rejectedErrors?: NodemailerError[];
  recipient?: string;
}

interface SentInfo {
  response?: string;
  accepted?: unknown[];
  rejected?: unknown[];
  rejectedErrors?: NodemailerError[];
}

/** Reads `smtp://host:port` or `smtps://host:port` (default ports 25 and 465). */
export function parseSmtpUpstream(url: string): SmtpUpstreamTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`upstream: '${url}' is not a URL; write smtp://host:port, smtps://host:port or dir:PATH`);
  }
  const secure = parsed.protocol === 'smtps:';
  if (!secure && parsed.protocol !== 'smtp:') {
    throw new Error(`upstream: '${url}' must start with smtp://, smtps:// or dir:`);
  }
  if (parsed.hostname === '') throw new Error(`upstream: '${url}' has no host name`);
  const target: SmtpUpstreamTarget = {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? (secure ? 465 : 25) : Number(parsed.port),
    secure,
  };
  if (parsed.username !== '') {
    target.auth = { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) };
  }
  return target;
}

function describe(error: NodemailerError): string {
  return (error.response ?? error.message).trim();
}

/** Turns a nodemailer failure into a DeliveryResult: 5xx is permanent, 4xx and no reply at all mean try again later. */
export function failureResult(error: NodemailerError): DeliveryResult {
  const code = error.responseCode;
  if (code !== undefined && code >= 500) return { ok: false, permanent: true, response: describe(error), code };
  if (code !== undefined && code >= 400) return { ok: false, permanent: false, response: describe(error), code };
  if (error.code !== undefined && UNREACHABLE_CODES.has(error.code)) {
    return { ok: false, permanent: false, response: describe(error) };
  }
  if (error.code === 'EAUTH') return { ok: false, permanent: false, response: describe(error) };
  // The message or envelope itself cannot be sent (too big for the upstream, an address it cannot encode).
  if (error.code === 'EMESSAGE' || error.code === 'EENVELOPE') {
    return { ok: false, permanent: true, response: describe(error) };
  }
  return { ok: false, permanent: false, response: describe(error) };
}

/**
 * The upstream took the message for some recipients and refused others. Chaperone keeps no queue of its own and one
 * reply answers for every recipient, so: when every refusal is permanent it refuses permanently and names who was
 * refused (the sender's server bounces it with that text, better than those recipients silently never getting it);
 * when any refusal is temporary it asks the sender's server to try again, so nobody's copy is lost, at the price of
 * a second copy for the recipients the upstream took.
 */
function partialRefusal(info: SentInfo): DeliveryResult | undefined {
  const refused = info.rejectedErrors ?? [];
  if (refused.length === 0) return undefined;
  const accepted = info.accepted?.length ?? 0;
  const permanent = refused.every((e) => (e.responseCode ?? 0) >= 500);
  const who = refused.map((e) => `<${e.recipient ?? '?'}>: ${describe(e)}`).join('; ');
  return {
    ok: false,
    permanent,
    response: `refused ${who}; delivered to the other ${accepted} recipient${accepted === 1 ? '' : 's'}`,
    code: (permanent ? refused[0] : refused.find((e) => (e.responseCode ?? 0) < 500))?.responseCode,
    deliveredTo: accepted,
  };
}

type SocketCallback = (error: Error | null, socketOptions?: { connection: import('node:net').Socket }) => void;

/**
 * Opens the TCP connection for nodemailer with Nagle's algorithm off. nodemailer writes the end-of-data dot as its own
 * small segment; with Nagle on it waits for the ACK the upstream delays by 40 ms, which was most of the time a
 * relayed message took (measured with bench/relay.ts: p50 92 ms before, see docs/deployment.md for after).
 */
function noDelaySocket(
  host: string,
  port: number,
  timeoutMs: number,
): (options: unknown, callback: SocketCallback) => void {
  return (_options, callback) => {
    const socket = connect({ host, port, noDelay: true });
    let settled = false;
    const fail = (error: Error & { code?: string }): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      // Reported like nodemailer's own connection failures: the upstream is unreachable, try again later.
      error.code = 'ECONNECTION';
      callback(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`connection to ${host}:${port} timed out`)));
    socket.once('error', fail);
    socket.once('connect', () => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      socket.off('error', fail);
      socket.setKeepAlive(true);
      callback(null, { connection: socket });
    });
  };
}

export function createSmtpUpstream(target: SmtpUpstreamTarget, options: UpstreamOptions, clientName: string): Upstream {
  const timeout = options.timeoutSeconds * 1000;
  const transportOptions: SMTPPool.Options = {
    pool: true,
    host: target.host,
    port: target.port,
    secure: target.secure || options.secure,
    requireTLS: options.requireTls,
    tls: { rejectUnauthorized: options.rejectUnauthorized },
    auth: options.auth ?? target.auth,
    maxConnections: options.maxConnections,
    // Reconnecting every 100 messages (nodemailer's default) costs a handshake for nothing on a busy relay.
    maxMessages: 1000,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    name: clientName,
    logger: false,
    getSocket: noDelaySocket(target.host, target.port, timeout),
  };
  const transport = nodemailer.createTransport(transportOptions);

  return {
    async deliver(envelope: UpstreamEnvelope, raw: Buffer): Promise<DeliveryResult> {
      try {
        const info = (await transport.sendMail({
          envelope: { from: envelope.from, to: envelope.to },
          raw,
        })) as SentInfo;
        return partialRefusal(info) ?? { ok: true, response: (info.response ?? '250 accepted').trim() };
      } catch (error) {
        const failure = error as NodemailerError;
        if (failure.rejectedErrors && failure.rejectedErrors.length > 0) {
          // Every recipient refused: permanent only if every refusal was.
          const permanent = failure.rejectedErrors.every((e) => (e.responseCode ?? 0) >= 500);
          const who = failure.rejectedErrors.map((e) => `<${e.recipient ?? '?'}>: ${describe(e)}`).join('; ');
          return { ok: false, permanent, response: who, code: failure.rejectedErrors[0]?.responseCode };
        }
        return failureResult(failure);
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}
