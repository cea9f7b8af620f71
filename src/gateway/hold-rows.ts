// What the SQLite and PostgreSQL stores share: turning rows into the store's types and a hold filter into SQL.
import type { Category, Verdict } from '../classifier/types.js';
import type {
  AuditEntry,
  AuditFilter,
  Envelope,
  FailedLoginCount,
  FindingFeedback,
  HeldItem,
  HoldFilter,
  HoldState,
  NewHold,
  RecipientSummary,
  Role,
  Session,
  StoredAuditEntry,
  User,
} from './hold-store.js';

/** listHolds without a limit returns at most this many: a queue page, never the whole history in memory. */
export const DEFAULT_LIST_LIMIT = 1000;
/** The most one listHolds or listAudit call returns, whatever the caller asks for. */
export const MAX_LIST_LIMIT = 10_000;
export const DEFAULT_AUDIT_LIMIT = 200;

/** A decision moves a hold out of these states unless the caller says otherwise. */
export function defaultFromStates(target: Exclude<HoldState, 'held'>): HoldState[] {
  return target === 'escalated' ? ['held'] : ['held', 'escalated'];
}

/** The columns listHolds and getHold read: everything but the raw message and bookkeeping. */
export const HOLD_COLUMNS = [
  'id',
  'received_at',
  'state',
  'reason',
  'mail_from',
  'header_from',
  'subject',
  'envelope',
  'recipients',
  'verdict',
  'categories',
  'score',
  'severity',
  'size',
  'decided_by',
  'decided_at',
  'decision_reason',
  'delivery_status',
  'delivery_at',
  'delivery_response',
  'dsl_notified_at',
  'overdue_notified_at',
].join(', ');

type Time = number | string | Date;
type Json = string | object;

export interface HoldRow {
  id: string;
  received_at: Time;
  state: string;
  reason: string;
  mail_from: string;
  header_from: string;
  subject: string;
  envelope: Json;
  recipients: Json;
  verdict: Json;
  categories: Json;
  score: number | string;
  severity: string;
  size: number | string;
  decided_by: string | null;
  decided_at: Time | null;
  decision_reason: string | null;
  delivery_status: string | null;
  delivery_at: Time | null;
  delivery_response: string | null;
  dsl_notified_at: Time | null;
  overdue_notified_at: Time | null;
}

export function toDate(value: Time): Date {
  return value instanceof Date ? value : new Date(Number(value));
}

function optionalDate(value: Time | null): Date | undefined {
  return value === null ? undefined : toDate(value);
}

function json<T>(value: Json): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function holdFromRow(row: HoldRow): HeldItem {
  const item: HeldItem = {
    id: row.id,
    receivedAt: toDate(row.received_at),
    envelope: json<Envelope>(row.envelope),
    recipients: json<RecipientSummary[]>(row.recipients),
    from: row.header_from,
    subject: row.subject,
    reason: row.reason as HeldItem['reason'],
    verdict: json<Verdict>(row.verdict),
    severity: row.severity as HeldItem['severity'],
    state: row.state as HoldState,
    categories: json<Category[]>(row.categories),
    score: Number(row.score),
    size: Number(row.size),
  };
  if (row.decided_by !== null) item.decidedBy = row.decided_by;
  if (row.decided_at !== null) item.decidedAt = toDate(row.decided_at);
  if (row.decision_reason !== null) item.decisionReason = row.decision_reason;
  if (row.delivery_status !== null && row.delivery_at !== null) {
    item.delivery = {
      status: row.delivery_status as 'delivered' | 'failed',
      at: toDate(row.delivery_at),
      response: row.delivery_response ?? '',
    };
  }
  const dslNotifiedAt = optionalDate(row.dsl_notified_at);
  if (dslNotifiedAt) item.dslNotifiedAt = dslNotifiedAt;
  const overdueNotifiedAt = optionalDate(row.overdue_notified_at);
  if (overdueNotifiedAt) item.overdueNotifiedAt = overdueNotifiedAt;
  return item;
}

export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** Lower-cased sender, header From, recipients and subject: what the queue's free-text search looks through. */
export function searchTextOf(hold: NewHold): string {
  return [hold.envelope.mailFrom, hold.from, ...hold.recipients.map((r) => r.address), hold.subject]
    .join('\n')
    .toLowerCase();
}

/** Categories in the verdict, or those of its findings when an older verdict lacks them. */
export function categoriesOf(hold: NewHold): Category[] {
  const categories = new Set<Category>(hold.verdict.categories);
  for (const finding of hold.verdict.findings) categories.add(finding.category);
  return [...categories];
}

/** How a dialect writes a bound parameter and a time. */
export interface SqlDialect {
  /** Records `value` as the next parameter and returns its placeholder (`?` or `$3`). */
  param(value: unknown): string;
  time(date: Date): unknown;
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause (without the keyword; `1 = 1` when empty) for a hold filter. */
export function holdWhere(filter: HoldFilter, sql: SqlDialect): string {
  const clauses: string[] = [];
  if (filter.states !== undefined) {
    clauses.push(
      filter.states.length === 0 ? '1 = 0' : `state IN (${filter.states.map((s) => sql.param(s)).join(', ')})`,
    );
  }
  if (filter.category !== undefined) {
    clauses.push(
      `EXISTS (SELECT 1 FROM hold_categories c WHERE c.hold_id = holds.id AND c.category = ${sql.param(filter.category)})`,
    );
  }
  if (filter.sender !== undefined && filter.sender !== '') {
    clauses.push(`lower(mail_from) LIKE ${sql.param(likePattern(filter.sender))} ESCAPE '\\'`);
  }
  if (filter.recipient !== undefined) {
    clauses.push(
      `EXISTS (SELECT 1 FROM hold_recipients r WHERE r.hold_id = holds.id AND r.address = ${sql.param(normaliseAddress(filter.recipient))})`,
    );
  }
  if (filter.receivedAfter !== undefined) clauses.push(`received_at >= ${sql.param(sql.time(filter.receivedAfter))}`);
  if (filter.receivedBefore !== undefined) clauses.push(`received_at < ${sql.param(sql.time(filter.receivedBefore))}`);
  if (filter.search !== undefined && filter.search.trim() !== '') {
    clauses.push(`search_text LIKE ${sql.param(likePattern(filter.search.trim()))} ESCAPE '\\'`);
  }
  return clauses.length === 0 ? '1 = 1' : clauses.join(' AND ');
}

export function listLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(0, Math.min(MAX_LIST_LIMIT, Math.floor(limit)));
}

export function listOffset(offset: number | undefined): number {
  return offset === undefined || !Number.isFinite(offset) ? 0 : Math.max(0, Math.floor(offset));
}

export function auditWhere(filter: AuditFilter, sql: SqlDialect): string {
  const clauses: string[] = [];
  if (filter.holdId !== undefined) clauses.push(`hold_id = ${sql.param(filter.holdId)}`);
  if (filter.actor !== undefined) clauses.push(`actor = ${sql.param(filter.actor)}`);
  if (filter.beforeSeq !== undefined) clauses.push(`seq < ${sql.param(filter.beforeSeq)}`);
  return clauses.length === 0 ? '1 = 1' : clauses.join(' AND ');
}

export interface AuditRow {
  seq: number | string;
  at: Time;
  actor: string;
  action: string;
  hold_id: string | null;
  remote_address: string | null;
  detail: Json | null;
}

export function auditFromRow(row: AuditRow): StoredAuditEntry {
  const entry: StoredAuditEntry = { seq: Number(row.seq), at: toDate(row.at), actor: row.actor, action: row.action };
  if (row.hold_id !== null) entry.holdId = row.hold_id;
  if (row.remote_address !== null) entry.remoteAddress = row.remote_address;
  if (row.detail !== null) entry.detail = json<Record<string, unknown>>(row.detail);
  return entry;
}

/** Detail is stored as JSON; a value JSON cannot carry (a function, a cycle) is a programming error, caught here. */
export function auditDetailJson(entry: AuditEntry): string | null {
  return entry.detail === undefined ? null : JSON.stringify(entry.detail);
}

export interface UserRow {
  email: string;
  roles: Json;
  password_hash: string;
  created_at: Time;
  failed_logins: number | string;
  locked_until: Time | null;
  disabled: number | boolean;
}

export function userFromRow(row: UserRow): User {
  const user: User = {
    email: row.email,
    roles: json<Role[]>(row.roles),
    passwordHash: row.password_hash,
    createdAt: toDate(row.created_at),
    failedLogins: Number(row.failed_logins),
    disabled: row.disabled === true || row.disabled === 1,
  };
  if (row.locked_until !== null) user.lockedUntil = toDate(row.locked_until);
  return user;
}

/** The columns a user change touches. `lockedUntil: undefined` given explicitly clears the lock. */
export function userChanges(
  changes: Partial<Omit<User, 'email' | 'createdAt'>>,
  sql: SqlDialect,
  bool: (value: boolean) => unknown,
): string[] {
  const sets: string[] = [];
  if (changes.roles !== undefined) sets.push(`roles = ${sql.param(JSON.stringify(changes.roles))}`);
  if (changes.passwordHash !== undefined) sets.push(`password_hash = ${sql.param(changes.passwordHash)}`);
  if (changes.failedLogins !== undefined) sets.push(`failed_logins = ${sql.param(changes.failedLogins)}`);
  if ('lockedUntil' in changes) {
    sets.push(`locked_until = ${sql.param(changes.lockedUntil === undefined ? null : sql.time(changes.lockedUntil))}`);
  }
  if (changes.disabled !== undefined) sets.push(`disabled = ${sql.param(bool(changes.disabled))}`);
  return sets;
}

/**
 * One more failed sign-in as one UPDATE (see HoldStore.recordFailedLogin). Every right-hand side reads the row as it
 * was, and concurrent updates of one row run one after the other (SQLite's write lock, PostgreSQL's row lock, which
 * re-reads the row a waiting update acts on), so no failure is lost. The count left is 0 only when this one locked.
 */
export function failedLoginUpdate(sql: SqlDialect, email: string, lockAfter: number, lockUntil: Date): string {
  return `UPDATE users SET
      failed_logins = CASE WHEN failed_logins + 1 >= ${sql.param(lockAfter)} THEN 0 ELSE failed_logins + 1 END,
      locked_until = CASE WHEN failed_logins + 1 >= ${sql.param(lockAfter)}
        THEN ${sql.param(sql.time(lockUntil))} ELSE locked_until END
    WHERE email = ${sql.param(email)}
    RETURNING failed_logins`;
}

export function failedLoginCount(
  row: { failed_logins: number | string } | undefined,
  lockAfter: number,
): FailedLoginCount | undefined {
  if (row === undefined) return undefined;
  const left = Number(row.failed_logins);
  return left === 0 ? { failedLogins: lockAfter, locked: true } : { failedLogins: left, locked: false };
}

export interface SessionRow {
  id: string;
  email: string;
  csrf_secret: string;
  created_at: Time;
  expires_at: Time;
}

export function sessionFromRow(row: SessionRow): Session {
  return {
    id: row.id,
    email: row.email,
    csrfSecret: row.csrf_secret,
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
  };
}

export interface FeedbackRow {
  hold_id: string;
  finding_index: number | string;
  rule: string;
  actor: string;
  at: Time;
  verdict: string;
}

export function feedbackFromRow(row: FeedbackRow): FindingFeedback {
  return {
    holdId: row.hold_id,
    findingIndex: Number(row.finding_index),
    rule: row.rule,
    actor: row.actor,
    at: toDate(row.at),
    verdict: row.verdict as FindingFeedback['verdict'],
  };
}

export class HoldNotFoundError extends Error {
  constructor(readonly holdId: string) {
    super(`no held message has the id ${holdId}`);
    this.name = 'HoldNotFoundError';
  }
}

export class UserNotFoundError extends Error {
  constructor(readonly email: string) {
    super(`no review-app user has the e-mail address ${email}`);
    this.name = 'UserNotFoundError';
  }
}

/** How long a delivery claim holds before another instance may take over a delivery that never reported back. */
export const DELIVERY_CLAIM_TIMEOUT_MS = 15 * 60 * 1000;

/** Per rule: held items with a finding from it, and distinct findings a reviewer marked not a concern. */
export const RULE_FEEDBACK_COUNTS = `
SELECT f.rule AS rule, count(DISTINCT f.hold_id) AS findings,
  (SELECT count(*) FROM (SELECT DISTINCT fb.hold_id, fb.finding_index FROM finding_feedback fb WHERE fb.rule = f.rule) d)
    AS not_a_concern
FROM hold_findings f GROUP BY f.rule ORDER BY f.rule`;

/** The audit entry written in the same transaction as the hold, so a held message never lacks its first entry. */
export function createdAudit(hold: NewHold): AuditEntry {
  const entry: AuditEntry = {
    at: hold.receivedAt,
    actor: 'system',
    action: 'hold.created',
    holdId: hold.id,
    detail: {
      heldFor: hold.reason,
      score: hold.verdict.score,
      categories: categoriesOf(hold),
      rules: [...new Set(hold.verdict.findings.map((f) => f.rule))],
      sender: hold.envelope.mailFrom,
      recipients: hold.recipients.length,
    },
  };
  if (hold.envelope.remoteAddress !== undefined) entry.remoteAddress = hold.envelope.remoteAddress;
  return entry;
}
