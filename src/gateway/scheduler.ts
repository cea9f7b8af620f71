// The review side's clockwork: retries of missed DSL notices, the daily digest, overdue re-notices, retention and
// expired sessions, run on one timer. Each job's failure is logged and retried next pass; none stops the others.
// Several instances may share one store (PostgreSQL): each run of a job is claimed in the store first, so only one
// instance sends a given digest or reminder.
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { HoldStore } from './hold-store.js';
import { retryFailedDeliveries } from './decisions.js';
import type { Notifier } from './notifications.js';
import type { Upstream } from './upstream.js';
import { purgeExpired } from './retention.js';

export interface SchedulerDeps {
  config: Config;
  store: HoldStore;
  notifier: Notifier;
  logger: Logger;
  /** When given, released messages whose delivery failed are retried (decisions.ts decides when). */
  upstream?: Upstream;
  now?: () => Date;
  /** Time between passes; default one minute. */
  intervalMs?: number;
}

export interface Scheduler {
  stop(): Promise<void>;
  /** Runs one pass now (the timer calls this; tests call it with an injected clock). */
  runOnce(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 60_000;
/** Retention and session clean-up need not run every minute. */
const HOUSEKEEPING_EVERY_MS = 3_600_000;

/** The latest digest time at or before `now` (local time), e.g. today 16:00 or, before 16:00, yesterday 16:00. */
export function latestDigestSlot(digestAt: string, now: Date): Date {
  const [hours, minutes] = digestAt.split(':').map(Number) as [number, number];
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes);
  return today.getTime() <= now.getTime()
    ? today
    : new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, hours, minutes);
}

/** Periods a job run is claimed for: the minute for the every-pass jobs, the hour for housekeeping. */
function minuteOf(at: Date): string {
  return at.toISOString().slice(0, 16);
}
function hourOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}

function isSchoolDay(at: Date): boolean {
  return at.getDay() !== 0 && at.getDay() !== 6;
}

export function startScheduler(deps: SchedulerDeps): Scheduler {
  const { config, store, notifier, logger } = deps;
  const now = deps.now ?? (() => new Date());
  let lastDigestSlot = latestDigestSlot(config.notifications.digestAt, now()).getTime();
  let lastHousekeeping = 0;
  let running: Promise<void> | undefined;
  let stopped = false;

  /** Runs a job if this instance claims its run for `period`; another instance that claimed it runs it instead. */
  async function job(name: string, period: string, at: Date, work: () => Promise<unknown>): Promise<void> {
    try {
      if (!(await store.claimJobRun(name, period, at))) {
        logger.debug({ job: name, period }, 'scheduled job run claimed by another instance');
        return;
      }
      const result = await work();
      if (typeof result === 'number' && result > 0) logger.info({ job: name, count: result }, 'scheduled job done');
    } catch (error) {
      logger.error({ err: error, job: name }, 'scheduled job failed; retrying next pass');
    }
  }

  async function pass(): Promise<void> {
    const at = now();
    const minute = minuteOf(at);
    await job('pending-notices', minute, at, () => notifier.sendPending(at));
    const slot = latestDigestSlot(config.notifications.digestAt, at);
    if (slot.getTime() > lastDigestSlot) {
      lastDigestSlot = slot.getTime();
      // Weekend holds go into Monday's digest; urgent ones were sent at once regardless.
      if (isSchoolDay(slot)) await job('digest', slot.toISOString(), at, () => notifier.sendDigest(at));
    }
    await job('overdue', minute, at, () => notifier.sendOverdue(at));
    const upstream = deps.upstream;
    if (upstream) {
      // Each redelivery is also claimed per message (claimDelivery), so this claim only saves the others the look.
      await job(
        'redelivery',
        minute,
        at,
        async () => (await retryFailedDeliveries({ store, upstream, now, logger })).delivered.length,
      );
    }
    if (at.getTime() - lastHousekeeping >= HOUSEKEEPING_EVERY_MS) {
      lastHousekeeping = at.getTime();
      await job('retention', hourOf(at), at, () => purgeExpired({ config, store }, at));
      await job('sessions', hourOf(at), at, () => store.deleteExpiredSessions(at));
    }
  }

  function runOnce(): Promise<void> {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, deps.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await notifier.settled();
    },
  };
}
