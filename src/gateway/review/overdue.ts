// When an undecided hold becomes overdue: `review.escalateAfterHours` counted in school days (Saturdays and Sundays
// do not count), so a message held on Friday afternoon is not overdue before Monday afternoon.
import type { HeldItem } from '../hold-store.js';

const HOUR_MS = 3_600_000;

function isWeekend(t: Date): boolean {
  const day = t.getDay();
  return day === 0 || day === 6;
}

function nextMidnight(t: Date): Date {
  return new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1);
}

function skipWeekend(t: Date): Date {
  let at = t;
  while (isWeekend(at)) at = nextMidnight(at);
  return at;
}

/** The moment `hours` of school-day time have passed since `start` (local time; weekends skipped). */
export function addSchoolHours(start: Date, hours: number): Date {
  let at = skipWeekend(start);
  let remaining = hours * HOUR_MS;
  for (;;) {
    const midnight = nextMidnight(at);
    const today = midnight.getTime() - at.getTime();
    if (remaining <= today) return new Date(at.getTime() + remaining);
    remaining -= today;
    at = skipWeekend(midnight);
  }
}

export function overdueAt(item: Pick<HeldItem, 'receivedAt'>, escalateAfterHours: number): Date {
  return addSchoolHours(item.receivedAt, escalateAfterHours);
}

/** Only items still waiting for a first decision can be overdue. */
export function isOverdue(
  item: Pick<HeldItem, 'receivedAt' | 'state'>,
  escalateAfterHours: number,
  now: Date,
): boolean {
  return item.state === 'held' && now.getTime() >= overdueAt(item, escalateAfterHours).getTime();
}
