// The durable store behind the hold queue, the audit log, review users and sessions.
// Two implementations: sqlite-store.ts (embedded default) and postgres-store.ts (shared by several relays).
import type { Category, RecipientClass, Severity, Verdict } from '../classifier/types.js';

export const HOLD_STATES = ['held', 'released', 'rejected', 'escalated'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

/** Why a message is in the queue: flagged by the rules, or unreadable / failed screening (held to be safe). */
export type HoldReason = 'flagged' | 'unreadable' | 'screening-failed';

export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
  remoteAddress?: string;
  clientHostname?: string;
  authUser?: string;
}

export interface RecipientSummary {
  address: string;
  class: RecipientClass;
}

export interface NewHold {
  id: string;
  receivedAt: Date;
  envelope: Envelope;
  recipients: RecipientSummary[];
  /** Header From and Subject as decoded for display (may be empty for unreadable mail). */
  from: string;
  subject: string;
  reason: HoldReason;
  verdict: Verdict;
  /** Highest severity among the findings, or 'high' for unreadable mail. */
  severity: Severity;
  raw: Buffer;
}

export interface DeliveryOutcome {
  status: 'delivered' | 'failed';
  at: Date;
  /** The upstream's reply or the error, for the record. */
  response: string;
}

export interface HeldItem extends Omit<NewHold, 'raw'> {
  state: HoldState;
  categories: Category[];
  score: number;
  size: number;
  decidedBy?: string;
  decidedAt?: Date;
  decisionReason?: string;
  delivery?: DeliveryOutcome;
  /** When the overdue re-notification went out, so it is sent once. */
  overdueNotifiedAt?: Date;
  /** When the DSL notice (immediate or digest) went out. */
  dslNotifiedAt?: Date;
}

export interface HoldFilter {
  states?: HoldState[];
  category?: Category;
  /** Substring of the envelope sender. */
  sender?: string;
  /** Exact recipient address. */
  recipient?: string;
  receivedAfter?: Date;
  receivedBefore?: Date;
  /** Free text over sender, recipients and subject. */
  search?: string;
  limit?: number;
  offset?: number;
}

export interface Decision {
  state: Exclude<HoldState, 'held'>;
  actor: string;
  reason?: string;
  at: Date;
}

export interface AuditEntry {
  at: Date;
  /** The user's e-mail, or 'system' / 'cli:<login name>' (`cli:alice (as chaperone)` through sudo) for automatic and command-line actions. */
  actor: string;
  /** e.g. 'hold.created', 'hold.viewed', 'hold.released', 'hold.rejected', 'hold.escalated', 'finding.feedback', 'login', 'login.failed', 'user.created'. */
  action: string;
  holdId?: string;
  remoteAddress?: string;
  detail?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
}

export interface AuditFilter {
  holdId?: string;
  actor?: string;
  limit?: number;
  beforeSeq?: number;
}

export const ROLES = ['dsl', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  email: string;
  roles: Role[];
  passwordHash: string;
  createdAt: Date;
  failedLogins: number;
  lockedUntil?: Date;
  disabled: boolean;
}

export interface Session {
  id: string;
  email: string;
  csrfSecret: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface FindingFeedback {
  holdId: string;
  findingIndex: number;
  rule: string;
  actor: string;
  at: Date;
  verdict: 'not-a-concern';
}

export interface RuleFeedbackCount {
  rule: string;
  notAConcern: number;
  /** How many held items carried a finding from this rule. */
  findings: number;
}

/**
 * How long a claimed job run is remembered: longer than the longest job period (a day, the digest), with a margin.
 * Jobs that run every minute claim about 4,300 runs a day each, so claims are not kept longer than they are needed.
 */
export const JOB_RUN_KEEP_MS = 2 * 24 * 60 * 60 * 1000;

export class StateConflictError extends Error {
  constructor(
    readonly holdId: string,
    readonly actualState: HoldState,
  ) {
    super(`hold ${holdId} is already ${actualState}`);
    this.name = 'StateConflictError';
  }
}

/** Where one more failed sign-in left an account. */
export interface FailedLoginCount {
  /** Failed sign-ins in a row, this one included. */
  failedLogins: number;
  /** Whether this one locked the account. */
  locked: boolean;
}

export interface HoldStore {
  /** Creates or migrates the schema. */
  init(): Promise<void>;
  close(): Promise<void>;

  /** Resolves only once the hold is durably committed (fsync'd): only then may the relay answer 250. */
  putHold(hold: NewHold): Promise<void>;
  getHold(id: string): Promise<HeldItem | undefined>;
  getRaw(id: string): Promise<Buffer | undefined>;
  /** Newest first. */
  listHolds(filter?: HoldFilter): Promise<HeldItem[]>;
  countHolds(filter?: HoldFilter): Promise<number>;
  /** Moves a hold out of `held` (or out of `escalated` for a final release/reject); throws StateConflictError when another decision won. */
  decide(id: string, decision: Decision, fromStates?: HoldState[]): Promise<HeldItem>;
  /**
   * Claims a released item for a (re)delivery attempt: true for exactly one caller, and only while the item is
   * released and its last delivery failed or never reported back (a claim older than the claim timeout is stale).
   * decide(released) claims the first delivery itself; recordDelivery ends the claim.
   */
  claimDelivery(id: string, at: Date): Promise<boolean>;
  recordDelivery(id: string, outcome: DeliveryOutcome): Promise<void>;
  markNotified(id: string, kind: 'dsl' | 'overdue', at: Date): Promise<void>;
  /** Deletes decided items decided before `before` (raw message included); audit entries stay. Returns how many. */
  purgeDecided(before: Date): Promise<number>;
  /**
   * Claims one run of a scheduled job, e.g. ('digest', '2026-03-02T16:00'): true for exactly one caller among all the
   * processes sharing the store, which then runs it; the others skip that run. Claims older than JOB_RUN_KEEP_MS of
   * the same job are forgotten.
   */
  claimJobRun(job: string, period: string, at: Date): Promise<boolean>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(filter?: AuditFilter): Promise<StoredAuditEntry[]>;

  addFeedback(feedback: FindingFeedback): Promise<void>;
  listFeedback(holdId: string): Promise<FindingFeedback[]>;
  ruleFeedbackCounts(): Promise<RuleFeedbackCount[]>;

  createUser(user: User): Promise<void>;
  getUser(email: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(email: string, changes: Partial<Omit<User, 'email' | 'createdAt'>>): Promise<void>;
  /**
   * Counts one failed sign-in in a single statement, so failures on several review-app instances at once each count:
   * the count goes up by one and, on reaching `lockAfter`, is reset with the account locked until `lockUntil`.
   * Undefined when there is no such user.
   */
  recordFailedLogin(email: string, lockAfter: number, lockUntil: Date): Promise<FailedLoginCount | undefined>;

  createSession(session: Session): Promise<void>;
  getSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<number>;
  /** Ends every session of one user (after a password reset or when disabled). Returns how many. */
  deleteSessionsOf(email: string): Promise<number>;
}
