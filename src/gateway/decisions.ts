// The one implementation of a DSL's decision on a held message, used by the review app and `chaperone queue`.
// Release is decide-then-deliver: the compare-and-set decision lets exactly one reviewer through to delivery, and
// every delivery attempt, good or bad, is recorded and audited so a failed one is retried, never lost.
import { HoldNotFoundError } from './hold-rows.js';
import {
  StateConflictError,
  type DeliveryOutcome,
  type HeldItem,
  type HoldState,
  type HoldStore,
} from './hold-store.js';
import type { Upstream } from './upstream.js';
import { logHoldDecision, type HoldDecisionRecord, type Logger } from './logger.js';
import { formatDateTime } from './review/time-format.js';
import { addHeaders, ID_HEADER, VERDICT_HEADER } from './verdict-header.js';

export { HoldNotFoundError, StateConflictError };

/** A reason is a sentence or two for the record; a pasted e-mail is refused rather than stored. */
export const MAX_REASON_LENGTH = 2000;
/** The upstream's reply is kept for the record up to this length (a multi-line 5xx can run to kilobytes). */
const MAX_RESPONSE_LENGTH = 1000;
/** A failed delivery is retried automatically no sooner than this after the last attempt. */
export const REDELIVERY_INTERVAL_MS = 10 * 60 * 1000;
/** After this long a release still undelivered is left to a person: the DSL sees it failed and decides what next. */
export const REDELIVERY_GIVE_UP_MS = 3 * 24 * 60 * 60 * 1000;

export interface DecisionDeps {
  store: HoldStore;
  upstream: Upstream;
  /** When given, each decision is also logged as one `decision` line (logger.ts). */
  logger?: Logger;
  /** The clock; tests inject one. */
  now?: () => Date;
}

export interface DecisionRequest {
  id: string;
  /** Who decides: the reviewer's e-mail address, 'cli:<login name>' (`cli:alice (as chaperone)` through sudo) or 'system'. */
  actor: string;
  reason?: string;
  remoteAddress?: string;
}

export type RefusalCode =
  | 'not-found'
  | 'own-message'
  | 'reason-required'
  | 'reason-too-long'
  | 'not-awaiting-delivery'
  | 'delivery-in-progress';

/** A decision that was not made, with a sentence the reviewer can act on. State conflicts are StateConflictError. */
export class DecisionRefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly holdId: string,
    message: string,
  ) {
    super(message);
    this.name = 'DecisionRefusedError';
  }
}

/**
 * A decision that came after another one: says what happened and who did it, "you" when it was the same reviewer
 * (a double click, a second tab, a repeated command), rather than a bare state conflict.
 */
export class AlreadyDecidedError extends StateConflictError {
  constructor(
    holdId: string,
    actualState: HoldState,
    readonly decidedBy: string | undefined,
    readonly decidedAt: Date | undefined,
    /** True when the earlier decision was made by the same reviewer. */
    readonly byYou: boolean,
    now: Date,
  ) {
    super(holdId, actualState);
    this.name = 'AlreadyDecidedError';
    const who = byYou ? 'you' : (decidedBy ?? 'another reviewer');
    const when = decidedAt === undefined ? '' : ` ${decidedWhen(decidedAt, now)}`;
    this.message = `This message was already ${actualState} by ${who}${when}.`;
  }
}

const TIME_OF_DAY = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** "at 10:42" today (local time), else "on Tue 4 Mar 2025, 10:42". */
function decidedWhen(at: Date, now: Date): string {
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? `at ${TIME_OF_DAY.format(at)}` : `on ${formatDateTime(at)}`;
}

export interface ReleaseOutcome {
  /** The item after the release and the delivery attempt. */
  item: HeldItem;
  delivery: DeliveryOutcome;
}

function clock(deps: DecisionDeps): Date {
  return deps.now?.() ?? new Date();
}

/** Addresses anywhere in a header value, display names included: `"a@x" <b@y>, c@z (d@w)` gives all four. */
const ADDRESS_IN_TEXT = /[^\s<>()[\],;:"'@]+@[^\s<>()[\],;:"'@]+/g;
/** Addresses looked at in one From header: a real one has one or two; more is a list meant to confuse. */
const MAX_FROM_ADDRESSES = 50;

/**
 * One mailbox, however it is written: case and surrounding space do not matter, and a sub-address tag
 * (`dsl+trips@school`) is the same person's mailbox, so it is dropped.
 */
export function mailboxOf(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${lower.slice(at)}`;
}

/**
 * Everyone who counts as the author of a held message: the envelope sender, the SMTP login, and every address in the
 * From header (display names included: a sender who writes their own address there is still the sender).
 */
export function authorsOf(item: Pick<HeldItem, 'envelope' | 'from'>): Set<string> {
  const authors = new Set<string>();
  for (const address of [item.envelope.mailFrom, item.envelope.authUser ?? '']) {
    if (address.trim() !== '') authors.add(mailboxOf(address));
  }
  for (const match of item.from.matchAll(ADDRESS_IN_TEXT)) {
    authors.add(mailboxOf(match[0]));
    if (authors.size > MAX_FROM_ADDRESSES) break;
  }
  return authors;
}

/** Whether `actor` (a reviewer's e-mail address) wrote or sent the message. */
export function isAuthor(actor: string, item: Pick<HeldItem, 'envelope' | 'from'>): boolean {
  return authorsOf(item).has(mailboxOf(actor));
}

async function heldItem(deps: DecisionDeps, request: DecisionRequest): Promise<HeldItem> {
  const item = await deps.store.getHold(request.id);
  if (item === undefined) {
    throw new DecisionRefusedError('not-found', request.id, `No held message has the id ${request.id}.`);
  }
  // Safeguarding is a second pair of eyes: the sender never clears their own message, however senior.
  if (isAuthor(request.actor, item)) {
    throw new DecisionRefusedError(
      'own-message',
      request.id,
      `${request.actor} sent this message, so cannot decide on it: another DSL or a deputy must review it.`,
    );
  }
  return item;
}

function reasonOf(request: DecisionRequest, required: boolean, verb: string): string | undefined {
  const reason = request.reason?.trim();
  if (reason === undefined || reason === '') {
    if (!required) return undefined;
    throw new DecisionRefusedError(
      'reason-required',
      request.id,
      `Give a reason to ${verb} a message: it goes on the record.`,
    );
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw new DecisionRefusedError(
      'reason-too-long',
      request.id,
      `The reason is ${reason.length} characters long; keep it under ${MAX_REASON_LENGTH}.`,
    );
  }
  return reason;
}

async function decide(
  deps: DecisionDeps,
  request: DecisionRequest,
  state: Exclude<HoldState, 'held'>,
  reason: string | undefined,
  from: HoldState[],
): Promise<{ item: HeldItem; at: Date }> {
  const before = await heldItem(deps, request);
  const at = clock(deps);
  let item: HeldItem;
  try {
    item = await deps.store.decide(
      request.id,
      { state, actor: request.actor, at, ...(reason ? { reason } : {}) },
      from,
    );
  } catch (error) {
    if (error instanceof HoldNotFoundError) {
      throw new DecisionRefusedError('not-found', request.id, `No held message has the id ${request.id}.`);
    }
    if (error instanceof StateConflictError) throw await alreadyDecided(deps, request, error);
    throw error;
  }
  await deps.store.appendAudit({
    at,
    actor: request.actor,
    action: `hold.${state}`,
    holdId: request.id,
    ...(request.remoteAddress ? { remoteAddress: request.remoteAddress } : {}),
    detail: { from: before.state, ...(reason ? { reason } : {}) },
  });
  return { item, at };
}

async function alreadyDecided(
  deps: DecisionDeps,
  request: DecisionRequest,
  conflict: StateConflictError,
): Promise<AlreadyDecidedError> {
  const now = await deps.store.getHold(request.id);
  const decidedBy = now?.decidedBy;
  const byYou = decidedBy !== undefined && mailboxOf(decidedBy) === mailboxOf(request.actor);
  return new AlreadyDecidedError(
    request.id,
    now?.state ?? conflict.actualState,
    decidedBy,
    now?.decidedAt,
    byYou,
    clock(deps),
  );
}

/** Runs one decision and logs its line: the outcome, or why nothing was done. */
async function logged<T extends HeldItem | ReleaseOutcome>(
  deps: DecisionDeps,
  request: DecisionRequest,
  action: HoldDecisionRecord['action'],
  work: () => Promise<T>,
): Promise<T> {
  const base = { id: request.id, action, actor: request.actor };
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (deps.logger !== undefined) {
      if (error instanceof StateConflictError) {
        logHoldDecision(deps.logger, { ...base, outcome: 'already-decided', state: error.actualState });
      } else if (error instanceof DecisionRefusedError) {
        logHoldDecision(deps.logger, { ...base, outcome: 'refused', refusal: error.code });
      }
    }
    throw error;
  }
  if (deps.logger !== undefined) {
    if ('delivery' in result && 'item' in result) {
      const { delivery, item } = result;
      logHoldDecision(deps.logger, {
        ...base,
        outcome: delivery.status === 'delivered' ? 'delivered' : 'delivery-failed',
        state: item.state,
        upstream: delivery.response,
      });
    } else {
      const item = result as HeldItem;
      logHoldDecision(deps.logger, {
        ...base,
        outcome: item.state === 'rejected' ? 'rejected' : 'escalated',
        state: item.state,
      });
    }
  }
  return result;
}

/** Rejects a held or escalated message: it is never delivered. A reason is required. */
export async function rejectHold(deps: DecisionDeps, request: DecisionRequest): Promise<HeldItem> {
  return logged(deps, request, 'reject', async () => {
    const reason = reasonOf(request, true, 'reject');
    return (await decide(deps, request, 'rejected', reason, ['held', 'escalated'])).item;
  });
}

/** Passes a held message up to a senior DSL or the head; it can then be released or rejected. A reason is required. */
export async function escalateHold(deps: DecisionDeps, request: DecisionRequest): Promise<HeldItem> {
  return logged(deps, request, 'escalate', async () => {
    const reason = reasonOf(request, true, 'escalate');
    return (await decide(deps, request, 'escalated', reason, ['held'])).item;
  });
}

/**
 * Releases a held or escalated message and delivers it to its envelope recipients. Of two reviewers releasing at
 * once, one gets a StateConflictError before anything is sent. A failed delivery leaves the item released with the
 * failure recorded, for redeliverHold (by a person or retryFailedDeliveries).
 */
export async function releaseHold(deps: DecisionDeps, request: DecisionRequest): Promise<ReleaseOutcome> {
  return logged(deps, request, 'release', async () => {
    const reason = reasonOf(request, false, 'release');
    const { item } = await decide(deps, request, 'released', reason, ['held', 'escalated']);
    // decide(released) claimed the first delivery for this caller.
    return deliver(deps, item, request, 'release');
  });
}

/** Tries again to deliver a released message whose delivery failed or never finished. */
export async function redeliverHold(deps: DecisionDeps, request: DecisionRequest): Promise<ReleaseOutcome> {
  return logged(deps, request, 'retry', () => redeliver(deps, request));
}

async function redeliver(deps: DecisionDeps, request: DecisionRequest): Promise<ReleaseOutcome> {
  const item = await heldItem(deps, request);
  if (item.state !== 'released' || item.delivery?.status === 'delivered') {
    throw new DecisionRefusedError(
      'not-awaiting-delivery',
      request.id,
      item.state !== 'released'
        ? `This message is ${item.state}, not released, so there is nothing to deliver.`
        : 'This message has already been delivered.',
    );
  }
  if (!(await deps.store.claimDelivery(request.id, clock(deps)))) {
    throw new DecisionRefusedError(
      'delivery-in-progress',
      request.id,
      'Another attempt to deliver this message is under way; look again in a few minutes.',
    );
  }
  return deliver(deps, item, request, 'retry');
}

/**
 * The verdict on a released copy names no reviewer: pupils and parents can read headers, and who the DSL is stays
 * between the school's staff. IT traces a copy through its X-Chaperone-Id to the audit log, which names them.
 */
export const RELEASED_VERDICT = 'released';

async function deliver(
  deps: DecisionDeps,
  item: HeldItem,
  request: DecisionRequest,
  attempt: 'release' | 'retry',
): Promise<ReleaseOutcome> {
  const raw = await deps.store.getRaw(item.id);
  let delivery: DeliveryOutcome;
  let permanent = false;
  if (raw === undefined) {
    delivery = { status: 'failed', at: clock(deps), response: 'the stored copy of the message is missing' };
    permanent = true;
  } else {
    const message = addHeaders(raw, [
      [VERDICT_HEADER, RELEASED_VERDICT],
      [ID_HEADER, item.id],
    ]);
    try {
      const result = await deps.upstream.deliver({ from: item.envelope.mailFrom, to: item.envelope.rcptTo }, message);
      delivery = {
        status: result.ok ? 'delivered' : 'failed',
        at: clock(deps),
        response: result.response.slice(0, MAX_RESPONSE_LENGTH),
      };
      permanent = !result.ok && result.permanent;
    } catch (error) {
      // Upstreams promise not to throw for delivery failures; a bug in one must still leave a record.
      const text = error instanceof Error ? error.message : String(error);
      delivery = { status: 'failed', at: clock(deps), response: text.slice(0, MAX_RESPONSE_LENGTH) };
    }
  }
  await deps.store.recordDelivery(item.id, delivery);
  await deps.store.appendAudit({
    at: delivery.at,
    actor: request.actor,
    action: delivery.status === 'delivered' ? 'hold.delivered' : 'hold.delivery-failed',
    holdId: item.id,
    ...(request.remoteAddress ? { remoteAddress: request.remoteAddress } : {}),
    detail: { attempt, response: delivery.response, ...(delivery.status === 'failed' ? { permanent } : {}) },
  });
  const after = (await deps.store.getHold(item.id)) ?? { ...item, delivery };
  return { item: after, delivery };
}

/** Whether the last delivery attempt was refused for good (5xx): retrying would only be refused again. */
async function refusedForGood(store: HoldStore, id: string): Promise<boolean> {
  const [last] = (await store.listAudit({ holdId: id, limit: 20 })).filter((e) => e.action.startsWith('hold.deliver'));
  return last?.action === 'hold.delivery-failed' && last.detail?.permanent === true;
}

export interface RedeliveryReport {
  delivered: string[];
  failed: string[];
}

/**
 * For the scheduler: retries releases whose delivery failed at least REDELIVERY_INTERVAL_MS ago (or never reported
 * back), released within REDELIVERY_GIVE_UP_MS, unless the upstream refused them for good. Claims make it safe to run
 * on several instances at once.
 */
export async function retryFailedDeliveries(deps: DecisionDeps): Promise<RedeliveryReport> {
  const now = clock(deps).getTime();
  const released = await deps.store.listHolds({ states: ['released'] });
  const report: RedeliveryReport = { delivered: [], failed: [] };
  for (const item of released) {
    if (item.delivery?.status === 'delivered' || item.decidedAt === undefined) continue;
    if (now - item.decidedAt.getTime() > REDELIVERY_GIVE_UP_MS) continue;
    const lastAttempt = item.delivery?.at ?? item.decidedAt;
    if (now - lastAttempt.getTime() < REDELIVERY_INTERVAL_MS) continue;
    if (await refusedForGood(deps.store, item.id)) continue;
    try {
      const outcome = await redeliverHold(deps, { id: item.id, actor: 'system' });
      (outcome.delivery.status === 'delivered' ? report.delivered : report.failed).push(item.id);
    } catch (error) {
      if (error instanceof DecisionRefusedError) continue;
      throw error;
    }
  }
  return report;
}
