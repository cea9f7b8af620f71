// Several relays sharing one queue each run the scheduler: a digest or overdue reminder must still go out once, not
// once per instance. Two instances here are two stores open on the same database, with their own notifier and
// scheduler, run at the same moment; SQLite always, PostgreSQL when CHAPERONE_TEST_PG is set.
import { dropSchema } from '../store/test-databases.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { createUpstream } from '../../../src/gateway/create-upstream.js';
import type { HoldStore } from '../../../src/gateway/hold-store.js';
import { createNotifier } from '../../../src/gateway/notifications.js';
import { PostgresStore } from '../../../src/gateway/postgres-store.js';
import { startScheduler } from '../../../src/gateway/scheduler.js';
import { SqliteStore } from '../../../src/gateway/sqlite-store.js';
import { makeHold, PHONE_FLAG } from './fixtures.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

interface SharedDatabase {
  /** A new connection to the same database, as another relay would open. */
  open(): Promise<HoldStore>;
  cleanup(): Promise<void>;
}

async function sqliteDatabase(): Promise<SharedDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'chaperone-instances-'));
  return {
    async open() {
      const store = new SqliteStore(join(dir, 'chaperone.db'));
      await store.init();
      return store;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresDatabase(url: string): Promise<SharedDatabase> {
  const schema = `chaperone_test_${randomBytes(6).toString('hex')}`;
  return {
    async open() {
      const store = new PostgresStore({ connectionString: url, schema });
      await store.init();
      return store;
    },
    cleanup: () => dropSchema(url, schema),
  };
}

const databases: [string, () => Promise<SharedDatabase>][] = [['SQLite', sqliteDatabase]];
const pgUrl = process.env.CHAPERONE_TEST_PG;
if (pgUrl !== undefined) databases.push(['PostgreSQL', () => postgresDatabase(pgUrl)]);

describe.each(databases)('scheduled jobs on two instances sharing %s', (_name, create) => {
  let sink: SmtpSink;
  let config: Config;

  beforeAll(async () => {
    sink = await startSmtpSink();
    config = configSchema.parse({
      organisation: { name: 'Oakfield School', domains: ['oakfield.sch.uk'] },
      upstream: sink.url,
      review: { escalateAfterHours: 24, deputies: ['deputy@oakfield.sch.uk'] },
      notifications: { dsl: ['dsl@oakfield.sch.uk'], notifySender: false, digestAt: '16:00', immediate: 'high' },
    });
  });
  afterAll(async () => sink.close());
  beforeEach(() => {
    sink.received.length = 0;
  });

  /** Runs one pass of each instance's scheduler at the same moment, `at`; the schedulers started at `started`. */
  async function runBoth(db: SharedDatabase, started: Date, at: Date): Promise<void> {
    const clock = { now: started };
    const instances = await Promise.all(
      [1, 2].map(async () => {
        const store = await db.open();
        const upstream = createUpstream({
          upstream: config.upstream,
          upstreamOptions: config.upstreamOptions,
          hostname: 'test.local',
        });
        const logger = pino({ level: 'silent' });
        const notifier = createNotifier({ config, store, upstream, logger });
        const scheduler = startScheduler({
          config,
          store,
          notifier,
          logger,
          now: () => clock.now,
          intervalMs: 3_600_000,
        });
        return { store, upstream, scheduler };
      }),
    );
    clock.now = at;
    try {
      await Promise.all(instances.map((i) => i.scheduler.runOnce()));
    } finally {
      for (const i of instances) {
        await i.scheduler.stop();
        await i.upstream.close();
        await i.store.close();
      }
    }
  }

  const kinds = (kind: string) => sink.received.filter((m) => m.raw.includes(`X-Chaperone-Notice: ${kind}`));

  it('sends the daily digest once, not once per instance', async () => {
    const db = await create();
    try {
      const store = await db.open();
      // Monday 9 March 2026: a low-severity hold at 14:00 waits for the 16:00 digest.
      const hold = await makeHold({
        text: 'Text me on 07700 900123',
        flags: [{ ...PHONE_FLAG, severity: 'low' }],
        receivedAt: new Date(2026, 2, 9, 14, 0),
      });
      await store.putHold(hold);
      await store.close();
      await runBoth(db, new Date(2026, 2, 9, 15, 0), new Date(2026, 2, 9, 16, 1));
      const digests = kinds('digest');
      expect(digests).toHaveLength(1);
      expect(digests[0]!.raw).toContain(hold.id);
    } finally {
      await db.cleanup();
    }
  });

  it('sends an overdue reminder once, not once per instance', async () => {
    const db = await create();
    try {
      const store = await db.open();
      const hold = await makeHold({
        text: 'Text me on 07700 900123',
        flags: [PHONE_FLAG],
        receivedAt: new Date(2026, 2, 2, 9, 0),
      });
      await store.putHold(hold);
      await store.markNotified(hold.id, 'dsl', new Date(2026, 2, 2, 9, 0));
      await store.close();
      await runBoth(db, new Date(2026, 2, 4, 10, 0), new Date(2026, 2, 4, 10, 0));
      const reminders = kinds('overdue');
      expect(reminders).toHaveLength(1);
      expect(reminders[0]!.raw).toContain(hold.id);
    } finally {
      await db.cleanup();
    }
  });
});
