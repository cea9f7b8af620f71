// What the sender of a held message is told: what happens next and whom to ask. The sender has no access to the
// review app, so their notices must not point them at a link or the app.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { createUpstream } from '../../../src/gateway/create-upstream.js';
import type { HeldItem, HoldStore } from '../../../src/gateway/hold-store.js';
import { createNotifier } from '../../../src/gateway/notifications.js';
import { openStore } from '../../../src/gateway/open-store.js';
import type { Upstream } from '../../../src/gateway/upstream.js';
import { makeHold, PHONE_FLAG } from './fixtures.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

const SENDER = 'j.smith@oakfield.sch.uk';
const DSL = 'dsl@oakfield.sch.uk';

describe('notices to the sender of a held message', () => {
  let dir: string;
  let sink: SmtpSink;
  let store: HoldStore;
  let upstream: Upstream;

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => sink.close());

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chaperone-sender-notice-'));
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    upstream = createUpstream({
      upstream: sink.url,
      upstreamOptions: configSchema.parse({}).upstreamOptions,
      hostname: 'test.local',
    });
    sink.received.length = 0;
  });
  afterEach(async () => {
    await upstream.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  function configWith(publicUrl?: string): Config {
    return configSchema.parse({
      organisation: { name: 'Oakfield School', domains: ['oakfield.sch.uk'] },
      review: publicUrl === undefined ? {} : { publicUrl },
      notifications: { dsl: [DSL], from: 'Chaperone <chaperone@oakfield.sch.uk>' },
    });
  }

  async function held(): Promise<HeldItem> {
    const hold = await makeHold({ text: 'Text me on 07700 900123', flags: [{ ...PHONE_FLAG, severity: 'high' }] });
    await store.putHold(hold);
    return (await store.getHold(hold.id)) as HeldItem;
  }

  async function noticeTo(address: string): Promise<string> {
    const mail = sink.received.find((m) => m.to.includes(address));
    expect(mail, `a notice to ${address}`).toBeDefined();
    // Lines are wrapped for e-mail; the sentences are what matter.
    return ((await simpleParser(mail!.raw)).text ?? '').replace(/\s+/g, ' ');
  }

  it('tells the sender what happens next and to ask the DSL, with the reference and no link to follow', async () => {
    const notifier = createNotifier({
      config: configWith('https://review.oakfield.sch.uk'),
      store,
      upstream,
      logger: pino({ level: 'silent' }),
    });
    const item = await held();
    notifier.holdCreated(item);
    await notifier.settled();
    await sink.waitFor(2);

    const text = await noticeTo(SENDER);
    expect(text).toContain(`Reference: ${item.id}`);
    expect(text).toMatch(/Designated Safeguarding Lead \(DSL\)/);
    expect(text).toMatch(/If they release it, it is delivered/);
    expect(text).toMatch(/If you have a question about it, ask your DSL/);
    expect(text).not.toMatch(/link|review app|https?:/i);

    const toDsl = await noticeTo(DSL);
    expect(toDsl).toContain(`https://review.oakfield.sch.uk/holds/${item.id}`);
    expect(toDsl).toMatch(/open the link to read them/);
  });

  it('tells a rejected sender whom to ask, with no link to follow', async () => {
    const notifier = createNotifier({ config: configWith(), store, upstream, logger: pino({ level: 'silent' }) });
    const item = await held();
    expect(await notifier.rejectionNotice(item)).toBe(true);
    const text = await noticeTo(SENDER);
    expect(text).toContain(`Reference: ${item.id}`);
    expect(text).toMatch(/ask your school's Designated Safeguarding Lead \(DSL\), giving the reference above/);
    expect(text).not.toMatch(/link|review app|https?:/i);
  });

  it('points the DSL at the review app, not at a link, when no publicUrl is set', async () => {
    const notifier = createNotifier({ config: configWith(), store, upstream, logger: pino({ level: 'silent' }) });
    const item = await held();
    notifier.holdCreated(item);
    await notifier.settled();
    await sink.waitFor(2);
    const toDsl = await noticeTo(DSL);
    expect(toDsl).toContain(`Open the review app and look for reference ${item.id}.`);
    expect(toDsl).not.toMatch(/link/i);
  });
});
