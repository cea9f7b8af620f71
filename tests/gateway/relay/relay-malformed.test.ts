// Hostile and broken input: every message is either delivered with a verdict or held, never dropped, never a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/gateway/serve.js';
import { ADDRESSES, RawClient, createSetup, startGateway, startSink, type Sink, type TestSetup } from './harness.js';

const HEAD = `From: ${ADDRESSES.staff}\r\nTo: ${ADDRESSES.pupil}\r\n`;

const CASES: { name: string; message: Buffer }[] = [
  {
    name: 'bare LF line endings',
    message: Buffer.from(`From: ${ADDRESSES.staff}\nTo: ${ADDRESSES.pupil}\nSubject: LF only\n\nLine one\nLine two\n`),
  },
  {
    name: 'NUL bytes in headers and body',
    message: Buffer.from(`${HEAD}Subject: nul\u0000here\r\n\r\nbody\u0000with\u0000nuls\r\n`, 'latin1'),
  },
  {
    name: '8-bit headers without MIME encoding',
    message: Buffer.concat([
      Buffer.from(`${HEAD}Subject: `),
      Buffer.from('Überraschung für dich \xe9\xff', 'latin1'),
      Buffer.from('\r\n\r\nHallo\r\n'),
    ]),
  },
  {
    name: 'a multipart message whose boundary never appears',
    message: Buffer.from(
      `${HEAD}Subject: broken\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="nowhere"\r\n\r\n` +
        'just text, no parts\r\n',
    ),
  },
  {
    name: 'a multipart content type with no boundary parameter',
    message: Buffer.from(`${HEAD}Subject: no boundary\r\nContent-Type: multipart/alternative\r\n\r\n--x\r\nhi\r\n`),
  },
  {
    name: 'base64 that is not base64, in an unknown charset',
    message: Buffer.from(
      `${HEAD}Subject: b64\r\nContent-Type: text/plain; charset=x-made-up\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
        '!!!! not base64 at all ####\r\n',
    ),
  },
  {
    name: 'no header block at all',
    message: Buffer.from('this message starts with its body\r\nand has no headers\r\n'),
  },
  {
    name: 'a header line of 20 000 characters',
    message: Buffer.from(`${HEAD}Subject: ${'x'.repeat(20_000)}\r\n\r\nbody\r\n`),
  },
  {
    name: 'deeply nested multiparts',
    message: Buffer.from(
      `${HEAD}Subject: nested\r\nMIME-Version: 1.0\r\n` +
        Array.from({ length: 60 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`).join(
          '',
        ) +
        'Content-Type: text/plain\r\n\r\ndeep\r\n',
    ),
  },
];

describe('relay: malformed input', () => {
  let sink: Sink;
  let setup: TestSetup;
  let gateway: RunningGateway;

  beforeAll(async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    gateway = await startGateway(setup);
  });

  afterAll(async () => {
    await gateway?.stop();
    await sink?.close();
    setup?.cleanup();
  });

  for (const { name, message } of CASES) {
    it(`accepts a message with ${name} and either delivers it with a verdict or holds it`, async () => {
      const delivered = sink.messages.length;
      const held = await gateway.store.countHolds();
      const client = await RawClient.open(gateway.smtp.port);
      try {
        await client.reply();
        await client.command('EHLO client.test');
        await client.command(`MAIL FROM:<${ADDRESSES.staff}>`);
        await client.command(`RCPT TO:<${ADDRESSES.pupil}>`);
        const reply = await client.data(message);
        expect(reply).toMatch(/^250 2\.0\.0 Accepted and (held for review|passed on)/);
        if (reply.includes('held')) {
          expect(await gateway.store.countHolds()).toBe(held + 1);
          expect(sink.messages.length).toBe(delivered);
        } else {
          expect(sink.messages.length).toBe(delivered + 1);
          expect(sink.messages.at(-1)!.raw.toString('latin1')).toMatch(/^X-Chaperone-Verdict: (pass|tag); score=/);
        }
        // The session is still usable afterwards.
        expect(await client.command('NOOP')).toMatch(/^250 /);
      } finally {
        client.close();
      }
    });
  }

  it('does not end DATA at a bare-LF dot, so a second message cannot be smuggled inside the first', async () => {
    const delivered = sink.messages.length;
    const held = await gateway.store.countHolds();
    const client = await RawClient.open(gateway.smtp.port);
    try {
      await client.reply();
      await client.command('EHLO client.test');
      await client.command(`MAIL FROM:<${ADDRESSES.staff}>`);
      await client.command(`RCPT TO:<${ADDRESSES.external}>`);
      expect(await client.command('DATA')).toMatch(/^354 /);
      client.write(
        `${HEAD}Subject: smuggle\r\n\r\nfirst\n.\nMAIL FROM:<${ADDRESSES.staff}>\nRCPT TO:<victim@example.net>\nDATA\nsmuggled\r\n.\r\n` +
          'QUIT\r\n',
      );
      // Everything up to the real CRLF.CRLF is one message; the QUIT after it is a command.
      const reply = await client.reply();
      expect(reply).toMatch(/^250 2\.0\.0/);
      expect(await client.reply()).toMatch(/^221 /);
    } finally {
      client.close();
    }
    expect(sink.messages.length + (await gateway.store.countHolds())).toBe(delivered + held + 1);
    expect(sink.messages.every((m) => !m.to.includes('victim@example.net'))).toBe(true);
  });
});
