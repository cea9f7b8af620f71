// A lean SMTP sink for the relay benchmark, in the manner of Postfix's smtp-sink: the relay's upstream accepts and
// counts every message with little CPU, so on a small machine the benchmark measures the relay, not its upstream.
import { createServer, type Socket } from 'node:net';

/** A command line longer than this is not SMTP (RFC 5321 4.5.3.1.4 allows 512 octets); stops a broken peer growing memory. */
const MAX_COMMAND_LINE = 4096;
const TERMINATOR = Buffer.from('\r\n.\r\n');
/** What the DATA command's own line ends with: an empty message's terminator is just `.<CRLF>` after it. */
const DATA_LINE_END = Buffer.from('\r\n');

const EHLO_REPLY =
  // SIZE without a number: no fixed limit (RFC 1870 section 4). The relay's pooled nodemailer pipelines when it sees
  // PIPELINING, so the sink sees merged commands just as a real upstream would.
  '250-chaperone-bench-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE\r\n';

/** The SMTP conversation on one connection, fed the bytes as they arrive; no socket, so chunking can be tested exactly. */
export class SinkSession {
  private inData = false;
  /** Part of a command line not yet ended by LF. */
  private partialLine: Buffer | undefined;
  /** The last up to four bytes before this chunk in DATA: a terminator can start there and end in the next chunk. */
  private dataTail = DATA_LINE_END;
  private messageChunks: Buffer[] = [];
  closed = false;

  /** `onMessage` gets the message as sent (dot-stuffing undone) when `keepMessage` is set, otherwise undefined. */
  constructor(
    private readonly onMessage: (message: Buffer | undefined) => void,
    private readonly keepMessage = false,
  ) {}

  /** Takes the next chunk and returns the replies to write (merged into one string: one write per chunk). */
  feed(chunk: Buffer): string {
    let replies = '';
    let offset = 0;
    while (offset < chunk.length && !this.closed) {
      if (this.inData) {
        const end = this.dataEnd(chunk, offset);
        if (end === -1) {
          this.keepData(chunk.subarray(offset));
          offset = chunk.length;
        } else {
          this.keepData(chunk.subarray(offset, end));
          this.inData = false;
          this.onMessage(this.keepMessage ? this.takeMessage() : undefined);
          this.messageChunks = [];
          replies += '250 2.0.0 Ok: queued\r\n';
          offset = end;
        }
        continue;
      }
      const lineEnd = chunk.indexOf(10, offset);
      if (lineEnd === -1) {
        const rest = chunk.subarray(offset);
        this.partialLine = this.partialLine === undefined ? Buffer.from(rest) : Buffer.concat([this.partialLine, rest]);
        if (this.partialLine.length > MAX_COMMAND_LINE) {
          replies += '500 5.5.2 Line too long\r\n';
          this.closed = true;
        }
        break;
      }
      let line = chunk.subarray(offset, lineEnd);
      if (this.partialLine !== undefined) {
        line = Buffer.concat([this.partialLine, line]);
        this.partialLine = undefined;
      }
      offset = lineEnd + 1;
      replies += this.answer(line.toString('latin1').replace(/\r$/, ''));
    }
    return replies;
  }

  private answer(command: string): string {
    const verb = command.split(' ', 1)[0]!.toUpperCase();
    switch (verb) {
      case 'EHLO':
        return EHLO_REPLY;
      case 'HELO':
        return '250 chaperone-bench-sink\r\n';
      case 'MAIL':
      case 'RCPT':
      case 'RSET':
      case 'NOOP':
        return '250 2.0.0 Ok\r\n';
      case 'DATA':
        this.inData = true;
        this.dataTail = DATA_LINE_END;
        return '354 End data with <CR><LF>.<CR><LF>\r\n';
      case 'QUIT':
        this.closed = true;
        return '221 2.0.0 Bye\r\n';
      default:
        return '502 5.5.1 Command not implemented\r\n';
    }
  }

  /**
   * Where the data from `chunk[offset]` ends: the index just past the terminator, or -1. Looks only at the carried
   * tail and this chunk once, so a long message costs linear time however it is cut.
   */
  private dataEnd(chunk: Buffer, offset: number): number {
    const head = chunk.subarray(offset, offset + TERMINATOR.length - 1);
    const seam = Buffer.concat([this.dataTail, head]).indexOf(TERMINATOR);
    if (seam !== -1) return offset + seam + TERMINATOR.length - this.dataTail.length;
    const inside = chunk.indexOf(TERMINATOR, offset);
    if (inside !== -1) return inside + TERMINATOR.length;
    const seen = chunk.subarray(offset);
    this.dataTail =
      seen.length >= TERMINATOR.length - 1
        ? Buffer.from(seen.subarray(seen.length - (TERMINATOR.length - 1)))
        : Buffer.from(Buffer.concat([this.dataTail, seen]).subarray(-(TERMINATOR.length - 1)));
    return -1;
  }

  private keepData(bytes: Buffer): void {
    if (this.keepMessage && bytes.length > 0) this.messageChunks.push(Buffer.from(bytes));
  }

  /** The message without the `.<CRLF>` that ends it and with leading dots un-doubled (RFC 5321 4.5.2). */
  private takeMessage(): Buffer {
    const wire = Buffer.concat(this.messageChunks).toString('latin1');
    return Buffer.from(wire.slice(0, -3).replace(/(^|\r\n)\./g, '$1'), 'latin1');
  }
}

export interface SmtpSink {
  port: number;
  /** Messages accepted since the sink started. */
  received(): number;
  /** The last message accepted, as sent, when started with `keepLastMessage`. */
  lastMessage(): Buffer | undefined;
  close(): Promise<void>;
}

export async function startSmtpSink(options: { keepLastMessage?: boolean } = {}): Promise<SmtpSink> {
  let received = 0;
  let last: Buffer | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const session = new SinkSession((message) => {
      received++;
      last = message;
    }, options.keepLastMessage === true);
    socket.on('data', (chunk: Buffer) => {
      const replies = session.feed(chunk);
      if (replies !== '') socket.write(replies);
      if (session.closed) socket.end();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.write('220 chaperone-bench-sink ESMTP\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    received: () => received,
    lastMessage: () => last,
    close: () =>
      new Promise((resolve) => {
        // The relay's pooled upstream keeps its connections open; close them so the server can stop.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
