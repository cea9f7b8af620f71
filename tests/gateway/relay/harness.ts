// Test harness for the relay: a real smtp-server sink as the upstream, a temporary config with a small rule pack and
// directory, the gateway started in-process, and an SMTP client that speaks line by line over a raw socket.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { stringify } from 'yaml';
import { createLogger, type Logger } from '../../../src/gateway/logger.js';
import { serve, type RunningGateway } from '../../../src/gateway/serve.js';

export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface Sink {
  port: number;
  messages: SinkMessage[];
  /** Makes the sink refuse the next messages at the end of DATA with this reply (e.g. 550 or 451). */
  refuseWith(code: number | undefined, text?: string): void;
  /** Makes the sink wait this long before answering the end of DATA (a slow upstream). */
  delayReplies(ms: number): void;
  /** Makes the sink answer RCPT TO for this address with this reply (e.g. 451 or 550); undefined lifts it. */
  refuseRecipient(address: string, code: number | undefined, text?: string): void;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that records every envelope and message it accepts. */
export async function startSink(port = 0): Promise<Sink> {
  const messages: SinkMessage[] = [];
  let refusal: { code: number; text: string } | undefined;
  let delayMs = 0;
  const refusedRecipients = new Map<string, { code: number; text: string }>();
  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusedRecipients.get(address.address);
      if (refusal === undefined) return callback();
      const error = new Error(refusal.text) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => setTimeout(finish, delayMs));
      const finish = (): void => {
        if (refusal !== undefined) {
          const error = new Error(refusal.text) as Error & { responseCode: number };
          error.responseCode = refusal.code;
          return callback(error);
        }
        messages.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback(null, 'queued by sink');
      };
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    messages,
    refuseWith(code, text = 'refused by sink') {
      refusal = code === undefined ? undefined : { code, text };
    },
    delayReplies(ms) {
      delayMs = ms;
    },
    refuseRecipient(address, code, text = 'recipient refused by sink') {
      if (code === undefined) refusedRecipients.delete(address);
      else refusedRecipients.set(address, { code, text });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A pack small enough to read at a glance, so these tests do not move when the shipped packs are tuned. */
export const TEST_RULES = {
  pack: 'relay-test',
  rules: [
    {
      id: 'test-personal-mobile',
      category: 'contact-details',
      severity: 'high',
      pattern: '\\b07[0-9]{3} ?[0-9]{3} ?[0-9]{3}\\b',
      guidance: 'Communication with children (including the use of technology)',
      explain: 'A personal mobile number.',
      advice: 'Use the school phone.',
      examples: { flag: ['ring me on 07700 900123'], pass: ['ring the office on 01632 960000'] },
    },
    {
      id: 'test-secret',
      category: 'personal-content',
      severity: 'high',
      words: ['our little secret'],
      guidance: 'Communication with children (including the use of technology)',
      explain: 'Asks the pupil to keep a secret.',
      advice: 'Do not ask pupils to keep secrets.',
      examples: { flag: ['this is our little secret'], pass: ['the secret garden'] },
    },
    {
      id: 'test-kisses',
      category: 'suggestive',
      severity: 'low',
      words: ['xoxo'],
      guidance: 'Sexual conduct',
      explain: 'Kisses.',
      advice: 'Sign off professionally.',
      examples: { flag: ['see you xoxo'], pass: ['see you tomorrow'] },
    },
  ],
};

export const ADDRESSES = {
  staff: 'j.morgan@oakfield.sch.uk',
  otherStaff: 's.ahmed@oakfield.sch.uk',
  pupil: 'amelia.hart@pupils.oakfield.sch.uk',
  parent: 'rachel.hart@example.com',
  external: 'someone@example.org',
};

export interface TestSetup {
  dir: string;
  configFile: string;
  dbFile: string;
  /** Rewrites the config with these top-level sections merged over the defaults. */
  writeConfig(overrides?: Record<string, unknown>): void;
  cleanup(): void;
}

/** A temporary folder with a config, a rule pack and directory CSVs; storage is a real SQLite file in it. */
export function createSetup(upstreamPort: number, overrides: Record<string, unknown> = {}): TestSetup {
  const dir = mkdtempSync(join(tmpdir(), 'chaperone-relay-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'test.yaml'), stringify(TEST_RULES));
  writeFileSync(
    join(dir, 'pupils.csv'),
    'Email,Forename,Surname,Year Group\namelia.hart@pupils.oakfield.sch.uk,Amelia,Hart,9\n',
  );
  writeFileSync(join(dir, 'parents.csv'), 'Name,Email\n"Hart, Rachel",rachel.hart@example.com\n');
  const configFile = join(dir, 'chaperone.yaml');
  const dbFile = join(dir, 'chaperone.db');
  const writeConfig = (more: Record<string, unknown> = {}): void => {
    const config: Record<string, unknown> = {
      organisation: { name: 'Oakfield Test', domains: ['oakfield.sch.uk'], phones: ['01632 960000'] },
      rules: { dirs: ['rules'] },
      smtp: { listen: '127.0.0.1:0', hostname: 'chaperone.test', closeTimeoutSeconds: 5 },
      directory: {
        pupils: { domains: ['pupils.oakfield.sch.uk'], csv: ['pupils.csv'] },
        parents: { csv: ['parents.csv'] },
        staff: { domains: ['oakfield.sch.uk'] },
      },
      upstream: `smtp://127.0.0.1:${upstreamPort}`,
      upstreamOptions: { timeoutSeconds: 5 },
      storage: 'sqlite:chaperone.db',
      review: { listen: '127.0.0.1:0' },
      notifications: { notifySender: false },
      log: { level: 'silent' },
      ...overrides,
      ...more,
    };
    writeFileSync(configFile, stringify(config));
  };
  writeConfig();
  return { dir, configFile, dbFile, writeConfig, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Log lines the gateway wrote, parsed, for tests that check what was logged. */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

export async function startGateway(setup: TestSetup, logger?: Logger, watchFiles = false): Promise<RunningGateway> {
  return serve({
    configFile: setup.configFile,
    review: false,
    watchFiles,
    logger: logger ?? memoryLogger().logger,
  });
}

/** An SMTP client speaking one command at a time over a raw socket, so tests see exactly what the relay answers. */
export class RawClient {
  private buffer = '';
  private waiting: ((line: string) => void)[] = [];
  private lines: string[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      let index: number;
      while ((index = this.buffer.indexOf('\r\n')) !== -1) {
        const line = this.buffer.slice(0, index);
        this.buffer = this.buffer.slice(index + 2);
        this.lines.push(line);
      }
      this.flush();
    });
    socket.on('close', () => {
      this.closed = true;
      this.flush();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  private flush(): void {
    // A reply is complete at a line whose fourth character is a space (RFC 5321 4.2.1).
    while (this.waiting.length > 0) {
      const end = this.lines.findIndex((l) => l.length < 4 || l[3] === ' ');
      if (end === -1) {
        if (!this.closed) return;
        this.waiting.shift()?.('');
        continue;
      }
      const reply = this.lines.splice(0, end + 1).join('\n');
      this.waiting.shift()?.(reply);
    }
  }

  /** The next complete reply ('' once the server has closed the connection). */
  reply(): Promise<string> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.flush();
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async command(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Sends a whole message after DATA, dot-stuffed, and returns the reply to the final dot. */
  async data(message: string | Buffer): Promise<string> {
    const go = await this.command('DATA');
    if (!go.startsWith('354')) return go;
    const body = Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8');
    const text = body.toString('latin1').replace(/(^|\n)\./g, '$1..');
    // Only CRLF.CRLF ends DATA (a bare-LF dot would be SMTP smuggling), so a bare-LF message still ends with one.
    this.write(Buffer.from(text.endsWith('\r\n') ? `${text}.\r\n` : `${text}\r\n.\r\n`, 'latin1'));
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Greets, sends one message and quits; returns every reply in order. */
export async function sendMessage(
  port: number,
  from: string,
  to: string[],
  message: string | Buffer,
): Promise<{ greeting: string; mail: string; rcpt: string[]; data: string }> {
  const client = await RawClient.open(port);
  try {
    const greeting = await client.reply();
    await client.command('EHLO client.test');
    const mail = await client.command(`MAIL FROM:<${from}>`);
    const rcpt: string[] = [];
    for (const address of to) rcpt.push(await client.command(`RCPT TO:<${address}>`));
    const data = mail.startsWith('250') && rcpt.some((r) => r.startsWith('250')) ? await client.data(message) : '';
    await client.command('QUIT');
    return { greeting, mail, rcpt, data };
  } finally {
    client.close();
  }
}

/** A plain RFC 5322 message with CRLF line ends. */
export function rfc5322(from: string, to: string, subject: string, body: string): string {
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    'Date: Mon, 02 Mar 2026 09:00:00 +0000',
    `Message-ID: <${Math.random().toString(36).slice(2)}@oakfield.sch.uk>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

/** The relay's own Received line (three folded lines), as the harness config names it (smtp.hostname chaperone.test). */
export const OWN_RECEIVED =
  /^Received: from [^\r\n]*\r\n\tby chaperone\.test \(Chaperone\) with [^\r\n]*\r\n\t[^\r\n]*\r\n/m;

/** Removes the headers the relay adds (verdict, id and its Received line), to compare what the sink got with what was sent. */
export function withoutChaperoneHeaders(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/^(X-Chaperone-[A-Za-z]+: [^\r\n]*\r\n)*/, '');
  return Buffer.from(text.replace(new RegExp(`^${OWN_RECEIVED.source.slice(1)}`), ''), 'latin1');
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The message id the relay names in its 250 reply ("... (id 1M89691P8-M1HNZ0)"). */
export function idFromReply(reply: string): string {
  const id = /id ([0-9A-Z-]+)\)/.exec(reply)?.[1];
  if (id === undefined) throw new Error(`no id in the reply: ${reply}`);
  return id;
}

/** Four text parts of 1 MB (a body and three attachments): several hundred milliseconds of screening. */
export function slowToScreen(): string {
  const megabyte = 'Please read the chapter and answer the questions. '.repeat(21_000);
  const part = (i: number) =>
    [
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      ...(i === 0 ? [] : [`Content-Disposition: attachment; filename="notes-${i}.txt"`]),
      '',
      megabyte,
    ].join('\r\n');
  return [
    `From: ${ADDRESSES.staff}`,
    `To: ${ADDRESSES.pupil}`,
    'Subject: Reading',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    ...[0, 1, 2, 3].map(part),
    '--b--',
    '',
  ].join('\r\n');
}
