// Retention: decided items (message included) are deleted `retention.days` after their decision; the audit log keeps
// the record of what was held and who decided what, which is what a safeguarding review needs years later.
import type { Config } from '../config/schema.js';
import type { HoldStore } from './hold-store.js';

const DAY_MS = 86_400_000;

export function retentionCutoff(config: Config, now: Date): Date {
  return new Date(now.getTime() - config.retention.days * DAY_MS);
}

/** Deletes decided items past retention and records how many in the audit log. Returns the count. */
export async function purgeExpired(deps: { config: Config; store: HoldStore }, now: Date): Promise<number> {
  const before = retentionCutoff(deps.config, now);
  const purged = await deps.store.purgeDecided(before);
  if (purged > 0) {
    await deps.store.appendAudit({
      at: now,
      actor: 'system',
      action: 'retention.purged',
      detail: { count: purged, decidedBefore: before.toISOString(), retentionDays: deps.config.retention.days },
    });
  }
  return purged;
}
