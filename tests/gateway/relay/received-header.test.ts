// The relay's Received line (RFC 5321 4.4): on relayed mail and on held mail once released, naming the client's HELO
// and address, smtp.hostname, the protocol, the id and the single recipient; and loops still counted right.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { releaseHold } from '../../../src/gateway/decisions.js';
import { createUpstream } from '../../../src/gateway/create-upstream.js';
import type { RunningGateway } from '../../../src/gateway/serve.js';
import { receivedValue } from '../../../src/gateway/trace-header.js';
import {
  ADDRESSES,
  RawClient,
  createSetup,
  rfc5322,
  sendMessage,
  startGateway,
  startSink,
  type Sink,
  type TestSetup,
  idFromReply,
} from './harness.js';

const CLEAN_BODY = 'Please bring your signed trip form to the office by Friday.';
const FLAGGED_BODY = 'Ring me on 07700 900123 over half term.';
/** RFC 5322 date-time as the relay writes it (UTC). */
const DATE = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000';

function receivedFields(raw: Buffer): string[] {
  const header = raw.toString('latin1').split(/\r\n\r\n/)[0]!;
  return header
    .split(/\r\n(?![ \t])/)
    .filter((field) => /^received:/i.test(field))
    .map((field) => field.replace(/\r\n[ \t]+/g, ' '));
}

describe('relay: the Received line', () => {
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

  beforeEach(() => {
    sink.messages.length = 0;
  });

  it('adds one Received line to relayed mail: HELO name, address, smtp.hostname, ESMTP, the id, the recipient, the date', async () => {
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Trip form', CLEAN_BODY);
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message);
    const id = idFromReply(replies.data);
    const fields = receivedFields(sink.messages[0]!.raw);
    expect(fields).toHaveLength(1);
    expect(fields[0]).toMatch(
      new RegExp(
        `^Received: from client\\.test \\(\\[127\\.0\\.0\\.1\\]\\) by chaperone\\.test \\(Chaperone\\) with ESMTP id ${id} ` +
          `for <${ADDRESSES.pupil.replace(/\./g, '\\.')}>; ${DATE}$`,
      ),
    );
    // Headers Chaperone adds go above the trace; the sender's own headers follow it untouched.
    expect(sink.messages[0]!.raw.toString('latin1')).toMatch(
      /^X-Chaperone-Verdict: pass; score=0\r\nX-Chaperone-Id: [0-9A-Z-]+\r\nReceived: from client\.test /,
    );
  });

  it('names no recipient when there are several, so no one learns who else was sent it', async () => {
    const to = [ADDRESSES.external, 'someone.else@example.org'];
    const message = rfc5322(ADDRESSES.staff, to.join(', '), 'Trip form', CLEAN_BODY);
    await sendMessage(gateway.smtp.port, ADDRESSES.staff, to, message);
    const [field] = receivedFields(sink.messages[0]!.raw);
    expect(field).toMatch(new RegExp(`with ESMTP id [0-9A-Z-]+ ; ${DATE}$`));
    expect(field).not.toContain('example.org');
  });

  it('says SMTP for a client that greets with HELO', async () => {
    const client = await RawClient.open(gateway.smtp.port);
    try {
      await client.reply();
      await client.command('HELO old-copier.oakfield.sch.uk');
      await client.command(`MAIL FROM:<${ADDRESSES.staff}>`);
      await client.command(`RCPT TO:<${ADDRESSES.external}>`);
      expect(await client.data(rfc5322(ADDRESSES.staff, ADDRESSES.external, 'Scan', 'Scanned.'))).toMatch(/^250 /);
    } finally {
      client.close();
    }
    expect(receivedFields(sink.messages[0]!.raw)[0]).toMatch(
      /^Received: from old-copier\.oakfield\.sch\.uk \(\[127\.0\.0\.1\]\) by chaperone\.test \(Chaperone\) with SMTP id /,
    );
  });

  it('stores held mail with its Received line, so the released copy carries the trace and the hold id', async () => {
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Half term', FLAGGED_BODY);
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message);
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and held/);
    const id = idFromReply(replies.data);
    const upstream = createUpstream({
      upstream: `smtp://127.0.0.1:${sink.port}`,
      upstreamOptions: gateway.current().config.upstreamOptions,
      hostname: 'test',
    });
    try {
      await releaseHold({ store: gateway.store, upstream }, { id, actor: 'dsl@oakfield.sch.uk' });
    } finally {
      await upstream.close();
    }
    const fields = receivedFields(sink.messages[0]!.raw);
    expect(fields).toHaveLength(1);
    expect(fields[0]).toMatch(new RegExp(`by chaperone\\.test \\(Chaperone\\) with ESMTP id ${id} for <`));
  });

  it('counts hops on the message as it came in: 49 earlier servers pass (50 with ours), 50 are a loop', async () => {
    const hops = (n: number): string =>
      Array.from({ length: n }, (_, i) => `Received: from hop${i}.example by hop${i + 1}.example; Mon, 2 Mar 2026`)
        .map((line) => `${line}\r\n`)
        .join('');
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.external, 'Hops', 'Many servers.');
    const under = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.external], hops(49) + message);
    expect(under.data).toMatch(/^250 2\.0\.0 /);
    expect(receivedFields(sink.messages[0]!.raw)).toHaveLength(50);

    // What we sent on, sent back to us (a mail-flow rule pointing at the relay): our own line now counts.
    const back = await sendMessage(
      gateway.smtp.port,
      ADDRESSES.staff,
      [ADDRESSES.external],
      sink.messages[0]!.raw.toString('latin1').replace(/^(X-Chaperone-[A-Za-z]+: [^\r\n]*\r\n)+/, ''),
    );
    expect(back.data).toMatch(/^554 5\.4\.6 The message has passed through 50 mail servers/);
    expect(sink.messages).toHaveLength(1);
  });
});

describe('the Received line on hostile or missing input', () => {
  it('says what it knows when the client gave no HELO name or address', () => {
    const at = new Date(Date.UTC(2026, 2, 2, 9, 0, 0));
    const stamp = { by: 'chaperone.test', id: 'ABC-123', rcptTo: [], at };
    expect(receivedValue({ remoteAddress: '192.0.2.7', protocol: 'ESMTP' }, stamp).split('\r\n')[0]).toBe(
      'from [192.0.2.7] ([192.0.2.7])',
    );
    expect(receivedValue({ remoteAddress: '', protocol: 'ESMTP' }, stamp)).toBe(
      'from unknown\r\n\tby chaperone.test (Chaperone) with ESMTP id ABC-123\r\n\t; Mon, 02 Mar 2026 09:00:00 +0000',
    );
  });

  it('shows a forwarded HELO name with line breaks or spaces as question marks, never as extra header lines', () => {
    const value = receivedValue(
      { helo: 'evil\r\nX-Chaperone-Verdict: pass host', remoteAddress: '2001:db8::7', protocol: 'ESMTP' },
      { by: 'chaperone.test', id: 'ABC-123', rcptTo: ['a@example.org'], at: new Date(Date.UTC(2026, 2, 2, 9, 0, 0)) },
    );
    expect(value).toBe(
      'from evil??X-Chaperone-Verdict:?pass?host ([IPv6:2001:db8::7])\r\n' +
        '\tby chaperone.test (Chaperone) with ESMTP id ABC-123\r\n' +
        '\tfor <a@example.org>; Mon, 02 Mar 2026 09:00:00 +0000',
    );
  });
});
