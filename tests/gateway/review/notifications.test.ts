import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { createUpstream } from '../../../src/gateway/create-upstream.js';
import type { HeldItem, HoldStore } from '../../../src/gateway/hold-store.js';
import { createNotifier, PENDING_GRACE_MS, type Notifier } from '../../../src/gateway/notifications.js';
import { openStore } from '../../../src/gateway/open-store.js';
import { purgeExpired } from '../../../src/gateway/retention.js';
import { addSchoolHours, isOverdue } from '../../../src/gateway/review/overdue.js';
import { latestDigestSlot, startScheduler } from '../../../src/gateway/scheduler.js';
import type { Upstream } from '../../../src/gateway/upstream.js';
import { makeHold, PHONE_FLAG } from './fixtures.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

describe('overdue, counted in school days', () => {
  // Local times: 2026-03-06 is a Friday.
  const friday3pm = new Date(2026, 2, 6, 15, 0);

  it('does not count Saturday and Sunday', () => {
    expect(addSchoolHours(friday3pm, 24)).toEqual(new Date(2026, 2, 9, 15, 0));
    expect(addSchoolHours(friday3pm, 8)).toEqual(new Date(2026, 2, 6, 23, 0));
    expect(addSchoolHours(friday3pm, 10)).toEqual(new Date(2026, 2, 9, 1, 0));
  });

  it('starts a hold received at the weekend on Monday morning', () => {
    expect(addSchoolHours(new Date(2026, 2, 7, 11, 0), 24)).toEqual(new Date(2026, 2, 10, 0, 0));
  });

  it('counts whole weekdays in between', () => {
    const monday9 = new Date(2026, 2, 9, 9, 0);
    expect(addSchoolHours(monday9, 24 * 5)).toEqual(new Date(2026, 2, 16, 9, 0));
  });

  it('marks only undecided items overdue', () => {
    const item = { receivedAt: friday3pm, state: 'held' as const };
    expect(isOverdue(item, 24, new Date(2026, 2, 9, 14, 59))).toBe(false);
    expect(isOverdue(item, 24, new Date(2026, 2, 9, 15, 0))).toBe(true);
    expect(isOverdue({ ...item, state: 'rejected' as const }, 24, new Date(2026, 3, 1))).toBe(false);
  });
});

describe('the digest slot', () => {
  it('is today at digestAt once it has passed, else yesterday', () => {
    expect(latestDigestSlot('16:00', new Date(2026, 2, 9, 16, 30))).toEqual(new Date(2026, 2, 9, 16, 0));
    expect(latestDigestSlot('16:00', new Date(2026, 2, 9, 9, 0))).toEqual(new Date(2026, 2, 8, 16, 0));
  });
});

describe('notifications through a real SMTP upstream', () => {
  let dir: string;
  let sink: SmtpSink;
  let store: HoldStore;
  let upstream: Upstream;
  let config: Config;
  let notifier: Notifier;

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => sink.close());

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chaperone-notify-'));
    config = configSchema.parse({
      organisation: { name: 'Oakfield School', domains: ['oakfield.sch.uk'] },
      upstream: sink.url,
      storage: `sqlite:${join(dir, 'db.sqlite')}`,
      review: { publicUrl: 'https://review.oakfield.sch.uk/', deputies: ['deputy@oakfield.sch.uk'] },
      notifications: { dsl: ['dsl@oakfield.sch.uk'], from: 'Chaperone <chaperone@oakfield.sch.uk>', digestAt: '16:00' },
    });
    store = await openStore(config.storage);
    upstream = createUpstream({
      upstream: config.upstream,
      upstreamOptions: config.upstreamOptions,
      hostname: 'test.local',
    });
    notifier = createNotifier({ config, store, upstream, logger: pino({ level: 'silent' }) });
    sink.received.length = 0;
  });
  afterEach(async () => {
    await notifier.settled();
    await upstream.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function held(severity: 'high' | 'low', receivedAt = new Date()): Promise<HeldItem> {
    const hold = await makeHold({
      subject: 'Private: our secret trip',
      text: 'Text me on 07700 900123, just between us',
      flags: [{ ...PHONE_FLAG, severity }],
      receivedAt,
    });
    await store.putHold(hold);
    return (await store.getHold(hold.id)) as HeldItem;
  }

  function expectNoContent(raw: string): void {
    expect(raw).not.toContain('07700');
    expect(raw).not.toContain('secret');
    expect(raw).not.toContain('Private');
    expect(raw).not.toContain('between us');
  }

  it('e-mails the DSLs at once about a high-severity hold, with a link and no message content, and tells the sender', async () => {
    const item = await held('high');
    notifier.holdCreated(item);
    await notifier.settled();
    const mails = await sink.waitFor(2);
    const toDsl = mails.find((m) => m.to.includes('dsl@oakfield.sch.uk'));
    const toSender = mails.find((m) => m.to.includes('j.smith@oakfield.sch.uk'));
    expect(toDsl?.raw).toContain(`https://review.oakfield.sch.uk/holds/${item.id}`);
    expect(toDsl?.raw).toContain('High concern');
    expect(toDsl?.raw).toContain('Personal contact details');
    expect(toSender?.raw).toContain(item.id);
    for (const m of mails) expectNoContent(m.raw);
    expect((await store.getHold(item.id))?.dslNotifiedAt).toBeInstanceOf(Date);
  });

  it('keeps a low-severity hold for the digest, sent once', async () => {
    const config2 = { ...config, notifications: { ...config.notifications, notifySender: false } };
    const quiet = createNotifier({ config: config2, store, upstream, logger: pino({ level: 'silent' }) });
    const a = await held('low');
    const b = await held('low');
    quiet.holdCreated(a);
    quiet.holdCreated(b);
    await quiet.settled();
    expect(sink.received).toHaveLength(0);
    expect(await quiet.sendDigest(new Date())).toBe(2);
    const [digest] = await sink.waitFor(1);
    expect(digest?.raw).toContain(a.id);
    expect(digest?.raw).toContain(b.id);
    expectNoContent(digest?.raw ?? '');
    expect(await quiet.sendDigest(new Date())).toBe(0);
  });

  it('re-notifies deputies and DSLs once about an overdue item', async () => {
    const item = await held('low', new Date(Date.now() - 10 * 86_400_000));
    expect(await notifier.sendOverdue(new Date())).toBe(1);
    const [mail] = await sink.waitFor(1);
    expect(mail?.to.sort()).toEqual(['deputy@oakfield.sch.uk', 'dsl@oakfield.sch.uk']);
    expect(mail?.raw).toContain('overdue');
    expect(mail?.raw).toContain(item.id);
    expectNoContent(mail?.raw ?? '');
    expect(await notifier.sendOverdue(new Date())).toBe(0);
    expect((await store.getHold(item.id))?.overdueNotifiedAt).toBeInstanceOf(Date);
  });

  it('logs a failed notice without throwing, and the scheduler sends it once the mail server is back', async () => {
    const brokenUpstream = createUpstream({
      upstream: 'smtp://127.0.0.1:1',
      upstreamOptions: { ...config.upstreamOptions, timeoutSeconds: 2 },
      hostname: 'test.local',
    });
    const broken = createNotifier({ config, store, upstream: brokenUpstream, logger: pino({ level: 'silent' }) });
    const item = await held('high');
    broken.holdCreated(item);
    await broken.settled();
    await brokenUpstream.close();
    expect((await store.getHold(item.id))?.dslNotifiedAt).toBeUndefined();

    // Past the grace in which the relay that stored it may still be notifying (PENDING_GRACE_MS).
    const clock = { now: new Date(Date.now() + PENDING_GRACE_MS) };
    const scheduler = startScheduler({
      config,
      store,
      notifier,
      logger: pino({ level: 'silent' }),
      now: () => clock.now,
      intervalMs: 3_600_000,
    });
    await scheduler.runOnce();
    await scheduler.stop();
    const mails = await sink.waitFor(1);
    expect(mails.some((m) => m.to.includes('dsl@oakfield.sch.uk') && m.raw.includes(item.id))).toBe(true);
    expect((await store.getHold(item.id))?.dslNotifiedAt).toBeInstanceOf(Date);
  });

  it('sends the digest when the clock passes digestAt on a school day, not before', async () => {
    const quietConfig = { ...config, notifications: { ...config.notifications, notifySender: false } };
    const quiet = createNotifier({ config: quietConfig, store, upstream, logger: pino({ level: 'silent' }) });
    const clock = { now: new Date(2026, 2, 9, 15, 0) };
    const item = await held('low', new Date(2026, 2, 9, 14, 0));
    const scheduler = startScheduler({
      config: quietConfig,
      store,
      notifier: quiet,
      logger: pino({ level: 'silent' }),
      now: () => clock.now,
      intervalMs: 3_600_000,
    });
    await scheduler.runOnce();
    expect(sink.received.filter((m) => m.raw.includes('X-Chaperone-Notice: digest'))).toHaveLength(0);
    clock.now = new Date(2026, 2, 9, 16, 1);
    await scheduler.runOnce();
    await scheduler.stop();
    const digests = sink.received.filter((m) => m.raw.includes('X-Chaperone-Notice: digest'));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.raw).toContain(item.id);
  });

  it('purges decided items after retention.days but keeps their audit entries', async () => {
    const item = await held('high');
    const decidedAt = new Date(Date.now() - (config.retention.days + 1) * 86_400_000);
    await store.decide(item.id, { state: 'rejected', actor: 'dsl@oakfield.sch.uk', at: decidedAt, reason: 'no' });
    await store.appendAudit({ at: decidedAt, actor: 'dsl@oakfield.sch.uk', action: 'hold.rejected', holdId: item.id });
    const recent = await held('high');
    await store.decide(recent.id, { state: 'rejected', actor: 'dsl@oakfield.sch.uk', at: new Date(), reason: 'no' });
    const waiting = await held('high');

    expect(await purgeExpired({ config, store }, new Date())).toBe(1);
    expect(await store.getHold(item.id)).toBeUndefined();
    expect(await store.getRaw(item.id)).toBeUndefined();
    expect(await store.getHold(recent.id)).toBeDefined();
    expect(await store.getHold(waiting.id)).toBeDefined();
    expect((await store.listAudit({ holdId: item.id })).map((e) => e.action)).toContain('hold.rejected');
    expect((await store.listAudit({ actor: 'system' })).map((e) => e.action)).toContain('retention.purged');
  });
});
