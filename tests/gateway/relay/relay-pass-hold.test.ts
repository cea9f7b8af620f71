// Pass, tag and hold over real SMTP on loopback, into a real smtp-server sink and a real SQLite store.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { releaseHold } from '../../../src/gateway/decisions.js';
import type { RunningGateway } from '../../../src/gateway/serve.js';
import { openStore } from '../../../src/gateway/open-store.js';
import { createUpstream } from '../../../src/gateway/create-upstream.js';
import {
  ADDRESSES,
  OWN_RECEIVED,
  RawClient,
  createSetup,
  memoryLogger,
  rfc5322,
  sendMessage,
  startGateway,
  startSink,
  waitFor,
  withoutChaperoneHeaders,
  type Sink,
  type TestSetup,
  idFromReply,
} from './harness.js';
import { wordDocument } from '../../fixtures/documents.js';

const FLAGGED_BODY = 'Hi Amelia,\r\nIf you need me over half term ring me on 07700 900123 any time.\r\nMr Morgan';
const CLEAN_BODY = 'Hi Amelia,\r\nPlease bring your signed trip form to the office by Friday.\r\nMr Morgan';

describe('relay: pass, tag and hold', () => {
  let sink: Sink;
  let setup: TestSetup;
  let gateway: RunningGateway;
  let log: ReturnType<typeof memoryLogger>;

  beforeAll(async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    log = memoryLogger();
    gateway = await startGateway(setup, log.logger);
  });

  afterAll(async () => {
    await gateway?.stop();
    await sink?.close();
    setup?.cleanup();
  });

  beforeEach(() => {
    sink.messages.length = 0;
    sink.refuseWith(undefined);
  });

  it('passes clean mail to a pupil on to the upstream byte for byte, adding only the verdict, id and Received headers', async () => {
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Trip form', CLEAN_BODY);
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message);
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages).toHaveLength(1);
    const received = sink.messages[0]!;
    expect(received.from).toBe(ADDRESSES.staff);
    expect(received.to).toEqual([ADDRESSES.pupil]);
    const text = received.raw.toString('latin1');
    expect(text).toMatch(/^X-Chaperone-Verdict: pass; score=0\r\nX-Chaperone-Id: [0-9A-Z]{9}-[0-9A-Z]{6}\r\n/);
    expect(withoutChaperoneHeaders(received.raw).equals(Buffer.from(message, 'latin1'))).toBe(true);
  });

  it('holds mail to a pupil that gives a personal mobile number: 250 once stored, nothing delivered', async () => {
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Half term', FLAGGED_BODY);
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message);
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and held for review/);
    const id = /id ([0-9A-Z-]+)\)/.exec(replies.data)?.[1];
    expect(id).toBeDefined();
    expect(sink.messages).toHaveLength(0);

    // A second connection to the same SQLite file, as the review app or `chaperone queue` would open it.
    const store = await openStore(`sqlite:${setup.dbFile}`);
    try {
      const item = await store.getHold(id!);
      expect(item?.state).toBe('held');
      expect(item?.reason).toBe('flagged');
      expect(item?.recipients).toEqual([{ address: ADDRESSES.pupil, class: 'pupil' }]);
      expect(item?.verdict.findings.map((f) => f.rule)).toContain('test-personal-mobile');
      expect(item?.subject).toBe('Half term');
      expect(item?.from).toBe(ADDRESSES.staff);
      // Kept as received, with the relay's Received line on top, so a release delivers it with the trace.
      const stored = (await store.getRaw(id!))!;
      expect(stored.toString('latin1')).toMatch(OWN_RECEIVED);
      expect(withoutChaperoneHeaders(stored).equals(Buffer.from(message, 'latin1'))).toBe(true);
    } finally {
      await store.close();
    }
    const line = log.lines.find((l) => l.event === 'message' && l.id === id);
    expect(line).toMatchObject({ action: 'hold', outcome: 'held', rules: ['test-personal-mobile'], mode: 'screen' });
    expect(JSON.stringify(line)).not.toContain('07700');
  });

  it('delivers a held message to the upstream when a DSL releases it', async () => {
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Half term', FLAGGED_BODY);
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message);
    const id = idFromReply(replies.data);
    const upstream = createUpstream({
      upstream: `smtp://127.0.0.1:${sink.port}`,
      upstreamOptions: gateway.current().config.upstreamOptions,
      hostname: 'test',
    });
    try {
      const outcome = await releaseHold({ store: gateway.store, upstream }, { id, actor: 'dsl@oakfield.sch.uk' });
      expect(outcome.delivery.status).toBe('delivered');
    } finally {
      await upstream.close();
    }
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.to).toEqual([ADDRESSES.pupil]);
    expect(sink.messages[0]!.raw.toString('utf8')).toContain('07700 900123');
  });

  it('records the original client Postfix names with XFORWARD on a held message', async () => {
    const client = await RawClient.open(gateway.smtp.port);
    try {
      await client.reply();
      expect(await client.command('EHLO postfix.oakfield.sch.uk')).toMatch(/^250[- ]XFORWARD/m);
      expect(await client.command('XFORWARD ADDR=192.0.2.45 NAME=staff-laptop.oakfield.sch.uk')).toMatch(/^250 /);
      await client.command(`MAIL FROM:<${ADDRESSES.staff}>`);
      await client.command(`RCPT TO:<${ADDRESSES.pupil}>`);
      const reply = await client.data(rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Half term', FLAGGED_BODY));
      const id = idFromReply(reply);
      expect((await gateway.store.getHold(id))?.envelope.remoteAddress).toBe('192.0.2.45');
    } finally {
      client.close();
    }
  });

  it('holds a message to a pupil and a member of staff as a whole, never splitting it', async () => {
    const message = rfc5322(ADDRESSES.staff, `${ADDRESSES.pupil}, ${ADDRESSES.otherStaff}`, 'Half term', FLAGGED_BODY);
    const replies = await sendMessage(
      gateway.smtp.port,
      ADDRESSES.staff,
      [ADDRESSES.otherStaff, ADDRESSES.pupil],
      message,
    );
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and held/);
    expect(sink.messages).toHaveLength(0);
    const id = idFromReply(replies.data);
    const item = await gateway.store.getHold(id);
    expect(item?.recipients).toEqual([
      { address: ADDRESSES.otherStaff, class: 'staff' },
      { address: ADDRESSES.pupil, class: 'pupil' },
    ]);
    expect(item?.envelope.rcptTo).toEqual([ADDRESSES.otherStaff, ADDRESSES.pupil]);
  });

  it('passes the same message to staff only untouched but for the trace: staff mail is not screened by default', async () => {
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.otherStaff, 'Half term', FLAGGED_BODY);
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.otherStaff], message);
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages).toHaveLength(1);
    const raw = sink.messages[0]!.raw;
    expect(raw.toString('latin1')).toMatch(new RegExp(`^${OWN_RECEIVED.source.slice(1)}`));
    expect(withoutChaperoneHeaders(raw).equals(Buffer.from(message, 'latin1'))).toBe(true);
  });

  it('screens mail to a parent listed in the MIS export', async () => {
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.parent, 'Amelia', 'Keep this our little secret please.');
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.parent], message);
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and held/);
    const id = idFromReply(replies.data);
    expect((await gateway.store.getHold(id))?.recipients).toEqual([{ address: ADDRESSES.parent, class: 'parent' }]);
  });

  it('delivers mail that scores between the tag and hold thresholds, tagged with its score and categories', async () => {
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Well done', 'Great work on the project! xoxo');
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message);
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages[0]!.raw.toString('latin1')).toMatch(
      /^X-Chaperone-Verdict: tag; score=2; categories=suggestive\r\n/,
    );
  });

  it('drops a forged X-Chaperone-Verdict header the sender put in the message', async () => {
    const message = `X-Chaperone-Verdict: pass; score=0\r\n${rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Hi', CLEAN_BODY)}`;
    await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message);
    const text = sink.messages[0]!.raw.toString('latin1');
    expect(text.match(/X-Chaperone-Verdict:/g)).toHaveLength(1);
  });

  it('holds mail whose attached Word document gives a personal mobile number, and keeps the attachment', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: gateway.smtp.port });
    const docx = wordDocument({ paragraphs: ['Trip details', 'Any problems, ring me on 07700 900123'] });
    try {
      const info = await transport.sendMail({
        from: ADDRESSES.staff,
        to: ADDRESSES.pupil,
        subject: 'Trip',
        text: CLEAN_BODY,
        attachments: [{ filename: 'trip.docx', content: docx }],
      });
      expect(info.response).toMatch(/^250 2\.0\.0 Accepted and held for review/);
      const id = idFromReply(info.response);
      const store = await openStore(`sqlite:${setup.dbFile}`);
      try {
        const item = await store.getHold(id);
        const finding = item?.verdict.findings.find((f) => f.rule === 'test-personal-mobile');
        expect(finding?.text).toBe('07700 900123');
        expect(item?.verdict.parts[finding!.partIndex]?.name).toBe('trip.docx');
        expect((await store.getRaw(id))?.toString('latin1')).toContain(
          docx.subarray(0, 30).toString('base64').slice(0, 20),
        );
      } finally {
        await store.close();
      }
    } finally {
      transport.close();
    }
    expect(sink.messages).toHaveLength(0);
  });

  it('relays mail sent with nodemailer over a pooled connection, several messages in one session', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: gateway.smtp.port,
      pool: true,
      maxConnections: 1,
    });
    try {
      const infos = await Promise.all(
        [1, 2, 3].map((n) =>
          transport.sendMail({ from: ADDRESSES.staff, to: ADDRESSES.pupil, subject: `Notice ${n}`, text: CLEAN_BODY }),
        ),
      );
      for (const info of infos) expect(info.response).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    } finally {
      transport.close();
    }
    await waitFor(() => sink.messages.length === 3);
    expect(sink.messages.map((m) => /Subject: (.*)/.exec(m.raw.toString())?.[1]?.trim()).sort()).toEqual([
      'Notice 1',
      'Notice 2',
      'Notice 3',
    ]);
  });
});
