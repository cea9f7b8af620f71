// Every decision on a held message is one structured log line (id, action, actor, outcome) beside its audit entry,
// whether made in the review app, on the command line or by the scheduler; never the message, subject or reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { createDirUpstream } from '../../../src/gateway/dir-upstream.js';
import { rejectHold } from '../../../src/gateway/decisions.js';
import type { HoldStore } from '../../../src/gateway/hold-store.js';
import { createLogger } from '../../../src/gateway/logger.js';
import { createNotifier } from '../../../src/gateway/notifications.js';
import { openStore } from '../../../src/gateway/open-store.js';
import { createReviewApp } from '../../../src/gateway/review/app.js';
import { addUser, post, putPhoneHold, signIn } from './fixtures.js';

describe('the decision log line', () => {
  let dir: string;
  let store: HoldStore;
  let app: FastifyInstance;
  let lines: Record<string, unknown>[];
  let logger: ReturnType<typeof createLogger>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chaperone-decision-log-'));
    lines = [];
    logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
          callback();
        },
      }),
    );
    const config = configSchema.parse({
      organisation: { name: 'Oakfield School', domains: ['oakfield.sch.uk'] },
      storage: `sqlite:${join(dir, 'chaperone.db')}`,
      notifications: { notifySender: false },
    });
    store = await openStore(config.storage);
    const upstream = createDirUpstream(join(dir, 'outbox'));
    const notifier = createNotifier({ config, store, upstream, logger });
    app = await createReviewApp({ config, store, upstream, logger, notifier });
    await app.ready();
    await addUser(store, 'dsl@oakfield.sch.uk', ['dsl']);
  });
  afterEach(async () => {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const decisions = () => lines.filter((line) => line.event === 'decision');

  it('logs a release in the review app with id, action, actor and delivery outcome, and nothing of the message', async () => {
    const dsl = await signIn(app, 'dsl@oakfield.sch.uk');
    const hold = await putPhoneHold(store);
    expect((await post(app, dsl, `/holds/${hold.id}/release`)).statusCode).toBe(303);
    expect(decisions()).toEqual([
      expect.objectContaining({
        level: 'info',
        id: hold.id,
        action: 'release',
        actor: 'dsl@oakfield.sch.uk',
        outcome: 'delivered',
        state: 'released',
      }),
    ]);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('07700');
    expect(logged).not.toContain(hold.subject);
  });

  it('logs a rejection and an escalation, without the reason given', async () => {
    const dsl = await signIn(app, 'dsl@oakfield.sch.uk');
    const rejected = await putPhoneHold(store);
    const escalated = await putPhoneHold(store);
    await post(app, dsl, `/holds/${rejected.id}/reject`, { reason: 'Personal number given to Amelia' });
    await post(app, dsl, `/holds/${escalated.id}/escalate`, { reason: 'Passed to the head' });
    expect(decisions().map((l) => [l.id, l.action, l.outcome])).toEqual([
      [rejected.id, 'reject', 'rejected'],
      [escalated.id, 'escalate', 'escalated'],
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/Amelia|Passed to the head/);
  });

  it('logs a repeated decision as already decided, and a refusal with its code', async () => {
    const hold = await putPhoneHold(store);
    const deps = { store, upstream: createDirUpstream(join(dir, 'outbox')), logger };
    await rejectHold(deps, { id: hold.id, actor: 'cli:alice', reason: 'No' });
    await expect(rejectHold(deps, { id: hold.id, actor: 'cli:alice', reason: 'No' })).rejects.toThrow(/already/);
    await expect(rejectHold(deps, { id: 'NO-SUCH', actor: 'cli:alice', reason: 'No' })).rejects.toThrow(/No held/);
    expect(decisions().map((l) => [l.id, l.actor, l.outcome, l.state ?? l.refusal])).toEqual([
      [hold.id, 'cli:alice', 'rejected', 'rejected'],
      [hold.id, 'cli:alice', 'already-decided', 'rejected'],
      ['NO-SUCH', 'cli:alice', 'refused', 'not-found'],
    ]);
  });
});
