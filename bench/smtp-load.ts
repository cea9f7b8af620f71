// A lean SMTP client for the relay benchmark, in the manner of Postfix's smtp-source: one reused socket per simulated
// client and little CPU per message, so that on a small machine the benchmark measures the relay, not its load.
import { connect, type Socket } from 'node:net';

/** One SMTP reply: the code and the text of every line (RFC 5321 4.2.1: `250-...` lines continue, `250 ...` ends). */
export interface SmtpReply {
  code: number;
  lines: string[];
}

/** A reply line longer than this is not SMTP (RFC 5321 4.5.3.1.5 allows 512 octets); stops a broken peer growing memory. */
const MAX_REPLY_LINE = 4096;

/** Splits the server's byte stream into whole replies, however TCP cuts or merges them. */
export class ReplyParser {
  private pending = '';
  private lines: string[] = [];

  /** Takes the next chunk and returns the replies it completes, in order. */
  push(chunk: Buffer): SmtpReply[] {
    // Replies are ASCII (RFC 5321 2.4); latin1 decodes a byte to a character without UTF-8 work.
    this.pending += chunk.toString('latin1');
    const replies: SmtpReply[] = [];
    let start = 0;
    let end: number;
    while ((end = this.pending.indexOf('\n', start)) !== -1) {
      const line = this.pending.slice(start, this.pending.charCodeAt(end - 1) === 13 ? end - 1 : end);
      start = end + 1;
      if (!/^[2-5]\d\d(?:[ -]|$)/.test(line))
        throw new Error(`the server sent a line that is not an SMTP reply: '${line}'`);
      this.lines.push(line);
      if (line.charAt(3) !== '-') {
        replies.push({ code: Number(line.slice(0, 3)), lines: this.lines });
        this.lines = [];
      }
    }
    this.pending = this.pending.slice(start);
    if (this.pending.length > MAX_REPLY_LINE) {
      throw new Error(`the server sent a reply line of more than ${MAX_REPLY_LINE} characters`);
    }
    return replies;
  }
}

/** The message as it goes on the wire after DATA: dot-stuffed (RFC 5321 4.5.2) and ended with `<CRLF>.<CRLF>`. */
export function encodeMessage(raw: string): Buffer {
  const stuffed = raw.replace(/(^|\r\n)\./g, '$1..');
  return Buffer.from(stuffed.endsWith('\r\n') ? `${stuffed}.\r\n` : `${stuffed}\r\n.\r\n`, 'utf8');
}

export interface SmtpLoadClient {
  /**
   * Sends one message (from `encodeMessage`) and resolves with the milliseconds from the first byte written to the
   * final 250. MAIL, RCPT and DATA go in one write (RFC 2920 pipelining), as Postfix and Exchange send them.
   * One message at a time per client: a client is one simulated sender on one connection.
   */
  send(envelope: { from: string; to: readonly string[] }, message: Buffer): Promise<number>;
  /** QUIT, wait for the 221, close. */
  quit(): Promise<void>;
}

function replyText(reply: SmtpReply): string {
  return reply.lines.join(' / ');
}

/** Connects, reads the greeting and says EHLO once; fails unless the server advertises PIPELINING. */
export async function openSmtpLoadClient(port: number, host = '127.0.0.1'): Promise<SmtpLoadClient> {
  // Nagle off: otherwise the end of a message written after the 354 can wait ~40 ms for a delayed ACK, and the
  // benchmark would time the client's TCP stack rather than the server.
  const socket: Socket = connect({ host, port, noDelay: true });
  const parser = new ReplyParser();
  const ready: SmtpReply[] = [];
  let waiting: { count: number; resolve(replies: SmtpReply[]): void; reject(error: Error): void } | undefined;
  let failure: Error | undefined;

  const fail = (error: Error): void => {
    if (failure !== undefined) return;
    failure = error;
    socket.destroy();
    waiting?.reject(error);
    waiting = undefined;
  };
  const settle = (): void => {
    if (waiting !== undefined && ready.length >= waiting.count) {
      const { resolve, count } = waiting;
      waiting = undefined;
      resolve(ready.splice(0, count));
    }
  };
  socket.on('data', (chunk: Buffer) => {
    try {
      ready.push(...parser.push(chunk));
    } catch (error) {
      fail(error as Error);
      return;
    }
    settle();
  });
  socket.on('error', (error) => fail(error));
  socket.on('close', () => fail(new Error(`the server at ${host}:${port} closed the connection`)));

  const replies = (count: number): Promise<SmtpReply[]> =>
    new Promise((resolve, reject) => {
      if (failure !== undefined) {
        reject(failure);
        return;
      }
      waiting = { count, resolve, reject };
      settle();
    });
  const expect = (reply: SmtpReply, wanted: (code: number) => boolean, after: string): void => {
    if (!wanted(reply.code)) {
      const error = new Error(`the server answered ${after} with ${replyText(reply)}`);
      fail(error);
      throw error;
    }
  };
  const isPositive = (code: number): boolean => code >= 200 && code < 300;

  const [greeting] = await replies(1);
  expect(greeting!, (code) => code === 220, 'the connection');
  socket.write('EHLO bench.invalid\r\n');
  const [ehlo] = await replies(1);
  expect(ehlo!, (code) => code === 250, 'EHLO');
  if (!ehlo!.lines.some((line) => /^250[ -]PIPELINING\b/i.test(line))) {
    const error = new Error(`the server does not advertise PIPELINING (EHLO: ${replyText(ehlo!)})`);
    fail(error);
    throw error;
  }

  return {
    async send(envelope, message) {
      const commands =
        `MAIL FROM:<${envelope.from}>\r\n` + envelope.to.map((to) => `RCPT TO:<${to}>\r\n`).join('') + 'DATA\r\n';
      const started = process.hrtime.bigint();
      socket.write(commands);
      const answers = await replies(envelope.to.length + 2);
      expect(answers[0]!, isPositive, 'MAIL FROM');
      for (let i = 1; i <= envelope.to.length; i++) expect(answers[i]!, isPositive, `RCPT TO:<${envelope.to[i - 1]}>`);
      expect(answers[answers.length - 1]!, (code) => code === 354, 'DATA');
      socket.write(message);
      const [accepted] = await replies(1);
      expect(accepted!, (code) => code === 250, 'the end of the message');
      return Number(process.hrtime.bigint() - started) / 1e6;
    },
    async quit() {
      socket.write('QUIT\r\n');
      const [bye] = await replies(1);
      expect(bye!, (code) => code === 221, 'QUIT');
      socket.removeAllListeners('close');
      socket.end();
    },
  };
}
