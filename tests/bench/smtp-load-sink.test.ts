// The relay benchmark's lean SMTP client and sink, checked against each other, against real peers (smtp-server,
// nodemailer) and against every way TCP can cut or merge what they read.
import { afterEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { encodeMessage, openSmtpLoadClient, ReplyParser } from '../../bench/smtp-load.js';
import { SinkSession, startSmtpSink } from '../../bench/smtp-sink.js';

const FROM = 'd.jones@oakfield.sch.uk';
const TO = 'sam.taylor@pupils.oakfield.sch.uk';

function mail(subject: string, bodyLines: string[]): string {
  return [`From: <${FROM}>`, `To: <${TO}>`, `Subject: ${subject}`, '', ...bodyLines, ''].join('\r\n');
}

/** A body whose lines start with dots, including a lone dot that would end the message if it were not stuffed. */
const DOTTED = mail('Dots', ['.', '.hidden line', '..two dots', 'plain', '. . .']);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function realSmtpServer(options: Partial<SMTPServerOptions> = {}): Promise<{ port: number; bodies: string[] }> {
  const bodies: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, bodies };
}

describe('ReplyParser', () => {
  it('joins a multi-line reply cut mid-line and splits replies merged into one chunk', () => {
    const parser = new ReplyParser();
    expect(parser.push(Buffer.from('250-sink\r\n250-PIPE'))).toEqual([]);
    expect(parser.push(Buffer.from('LINING\r\n250 SIZE\r\n250 2.1.0 Ok\r\n354 go\r'))).toEqual([
      { code: 250, lines: ['250-sink', '250-PIPELINING', '250 SIZE'] },
      { code: 250, lines: ['250 2.1.0 Ok'] },
    ]);
    expect(parser.push(Buffer.from('\n'))).toEqual([{ code: 354, lines: ['354 go'] }]);
  });

  it('rejects a line that is not an SMTP reply', () => {
    expect(() => new ReplyParser().push(Buffer.from('hello\r\n'))).toThrow(/not an SMTP reply: 'hello'/);
  });
});

describe('encodeMessage', () => {
  it('doubles every leading dot and ends the message with <CRLF>.<CRLF>', () => {
    expect(encodeMessage('.a\r\nb.\r\n..c\r\n').toString()).toBe('..a\r\nb.\r\n...c\r\n.\r\n');
    expect(encodeMessage('no final line end').toString()).toBe('no final line end\r\n.\r\n');
  });
});

describe('SinkSession', () => {
  const session = [
    'EHLO client\r\n',
    `MAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\nDATA\r\n`,
    encodeMessage(DOTTED).toString('latin1'),
    `RSET\r\nMAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\nDATA\r\n`,
    '.\r\n',
    'NOOP\r\nQUIT\r\n',
  ].join('');
  const expectedReplies = [
    '250-chaperone-bench-sink',
    '250-PIPELINING',
    '250-8BITMIME',
    '250-SMTPUTF8',
    '250 SIZE',
    '250 2.0.0 Ok',
    '250 2.0.0 Ok',
    '354 End data with <CR><LF>.<CR><LF>',
    '250 2.0.0 Ok: queued',
    '250 2.0.0 Ok',
    '250 2.0.0 Ok',
    '250 2.0.0 Ok',
    '354 End data with <CR><LF>.<CR><LF>',
    '250 2.0.0 Ok: queued',
    '250 2.0.0 Ok',
    '221 2.0.0 Bye',
  ];

  function feedInPieces(pieces: Buffer[]): { replies: string[]; messages: string[]; closed: boolean } {
    const messages: string[] = [];
    const sink = new SinkSession((message) => messages.push(message!.toString('latin1')), true);
    let replies = '';
    for (const piece of pieces) replies += sink.feed(piece);
    return { replies: replies.split('\r\n').slice(0, -1), messages, closed: sink.closed };
  }

  it('answers a whole pipelined session that arrives in one chunk, data and terminator included', () => {
    expect(feedInPieces([Buffer.from(session, 'latin1')])).toEqual({
      replies: expectedReplies,
      messages: [DOTTED, ''],
      closed: true,
    });
  });

  it('finds every command and terminator however the stream is cut in two', () => {
    const wire = Buffer.from(session, 'latin1');
    for (let cut = 1; cut < wire.length; cut++) {
      const result = feedInPieces([wire.subarray(0, cut), wire.subarray(cut)]);
      expect(result, `cut at byte ${cut}`).toEqual({ replies: expectedReplies, messages: [DOTTED, ''], closed: true });
    }
  });

  it('finds every command and terminator when the stream arrives one byte at a time', () => {
    const wire = Buffer.from(session, 'latin1');
    const bytes = Array.from({ length: wire.length }, (_, i) => wire.subarray(i, i + 1));
    expect(feedInPieces(bytes)).toEqual({ replies: expectedReplies, messages: [DOTTED, ''], closed: true });
  });

  it('does not take a stuffed lone dot for the end of the message', () => {
    const messages: (Buffer | undefined)[] = [];
    const sink = new SinkSession((message) => messages.push(message));
    expect(sink.feed(Buffer.from('DATA\r\nfirst\r\n..\r\nstill the message\r\n'))).toBe(
      '354 End data with <CR><LF>.<CR><LF>\r\n',
    );
    expect(messages).toEqual([]);
    expect(sink.feed(Buffer.from('.\r\n'))).toBe('250 2.0.0 Ok: queued\r\n');
    expect(messages).toEqual([undefined]);
  });
});

describe('the lean client against a real smtp-server', () => {
  it('delivers several messages over one pipelining connection with their bodies intact', async () => {
    const server = await realSmtpServer();
    const client = await openSmtpLoadClient(server.port);
    const raws = [mail('One', ['first']), DOTTED, mail('Three', ['third'])];
    for (const raw of raws) {
      const waitMs = await client.send({ from: FROM, to: [TO] }, encodeMessage(raw));
      expect(waitMs).toBeGreaterThan(0);
    }
    await client.quit();
    expect(server.bodies).toEqual(raws);
  });

  it('fails with the server reply when a recipient is refused', async () => {
    const server = await realSmtpServer({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('No such pupil'), { responseCode: 550 }));
      },
    });
    const client = await openSmtpLoadClient(server.port);
    await expect(client.send({ from: FROM, to: [TO] }, encodeMessage(DOTTED))).rejects.toThrow(
      /answered RCPT TO:<sam.taylor@pupils.oakfield.sch.uk> with 550 No such pupil/,
    );
  });

  it('refuses a server that does not advertise PIPELINING', async () => {
    const server = await realSmtpServer({ hidePIPELINING: true });
    await expect(openSmtpLoadClient(server.port)).rejects.toThrow(/does not advertise PIPELINING/);
  });
});

describe('the lean sink', () => {
  it('takes several messages from a pooled nodemailer transport, keeping leading dots', async () => {
    const sink = await startSmtpSink({ keepLastMessage: true });
    cleanups.push(() => sink.close());
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, pool: true, maxConnections: 1 });
    cleanups.push(async () => transport.close());
    for (const raw of [mail('One', ['first']), mail('Two', ['second']), DOTTED]) {
      const info = await transport.sendMail({ envelope: { from: FROM, to: [TO] }, raw });
      expect(info.response).toMatch(/^250 /);
    }
    expect(sink.received()).toBe(3);
    expect(sink.lastMessage()?.toString('utf8')).toBe(DOTTED);
  });

  it('takes messages from many lean clients at once', async () => {
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const clients = await Promise.all(Array.from({ length: 5 }, () => openSmtpLoadClient(sink.port)));
    const message = encodeMessage(DOTTED);
    await Promise.all(
      clients.map(async (client) => {
        for (let i = 0; i < 20; i++) await client.send({ from: FROM, to: [TO, TO] }, message);
        await client.quit();
      }),
    );
    expect(sink.received()).toBe(100);
  });
});
