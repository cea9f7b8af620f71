// The embedded hold store: one SQLite file holding the queue, the raw messages, the audit log, users and sessions.
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  JOB_RUN_KEEP_MS,
  StateConflictError,
  type AuditEntry,
  type AuditFilter,
  type Decision,
  type DeliveryOutcome,
  type FailedLoginCount,
  type FindingFeedback,
  type HeldItem,
  type HoldFilter,
  type HoldState,
  type HoldStore,
  type NewHold,
  type RuleFeedbackCount,
  type Session,
  type StoredAuditEntry,
  type User,
} from './hold-store.js';
import {
  DEFAULT_AUDIT_LIMIT,
  DEFAULT_LIST_LIMIT,
  DELIVERY_CLAIM_TIMEOUT_MS,
  HOLD_COLUMNS,
  HoldNotFoundError,
  UserNotFoundError,
  auditDetailJson,
  auditFromRow,
  auditWhere,
  RULE_FEEDBACK_COUNTS,
  categoriesOf,
  createdAudit,
  defaultFromStates,
  failedLoginCount,
  failedLoginUpdate,
  feedbackFromRow,
  holdFromRow,
  holdWhere,
  listLimit,
  listOffset,
  normaliseAddress,
  searchTextOf,
  sessionFromRow,
  userChanges,
  userFromRow,
  type AuditRow,
  type FeedbackRow,
  type HoldRow,
  type SessionRow,
  type SqlDialect,
  type UserRow,
} from './hold-rows.js';
import { checkMigrations, SchemaTooNewError, type Migration } from './migrations/migration.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';

/** How long a write waits for another process (a second relay, the CLI) to finish its transaction before failing. */
const BUSY_TIMEOUT_MS = 10_000;

type Params = unknown[];

function sqliteDialect(params: Params): SqlDialect {
  return {
    param(value) {
      params.push(value);
      return '?';
    },
    time: (date) => date.getTime(),
  };
}

export class SqliteStore implements HoldStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  private readonly migrations: readonly Migration[];

  /** `migrations` is for tests of the upgrade path; the store's own schema is the default. */
  constructor(
    readonly path: string,
    options: { migrations?: readonly Migration[] } = {},
  ) {
    this.migrations = options.migrations ?? SQLITE_MIGRATIONS;
    // Held mail is about children: a new store is readable by its owner only (SQLite gives its -wal and -shm files
    // the same permissions as the database file).
    if (path !== ':memory:' && !existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    this.db = new Database(path);
    // First, so the settings below wait for a relay that is mid-write instead of failing at once.
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Set before the first table exists, so purged messages can be handed back to the file system.
    this.db.pragma('auto_vacuum = INCREMENTAL');
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit is fsync'd before it returns, so the relay's 250 after putHold is a promise kept across power loss.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Held mail is personal data about children: deleted rows are overwritten, not left in free pages.
    this.db.pragma('secure_delete = ON');
  }

  async init(): Promise<void> {
    checkMigrations(this.migrations, 'SQLite');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    const migrate = this.db.transaction(() => {
      const row = this.db.prepare('SELECT max(version) AS version FROM schema_version').get() as {
        version: number | null;
      };
      const current = row.version ?? 0;
      if (current > this.migrations.length) throw new SchemaTooNewError(current, this.migrations.length);
      for (const migration of this.migrations.slice(current)) {
        this.db.exec(migration.sql);
        this.db
          .prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, Date.now());
      }
    });
    // IMMEDIATE takes the write lock first, so two processes starting together migrate one after the other.
    migrate.immediate();
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  /** The schema version in the file: for `chaperone doctor`-style checks and the migration tests. */
  schemaVersion(): number {
    const row = this.db.prepare('SELECT max(version) AS version FROM schema_version').get() as {
      version: number | null;
    };
    return row.version ?? 0;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async putHold(hold: NewHold): Promise<void> {
    const write = this.db.transaction(() => {
      this.statement(
        `INSERT INTO holds (id, received_at, state, reason, mail_from, header_from, subject, envelope, recipients, verdict,
           categories, score, severity, size, search_text)
         VALUES (?, ?, 'held', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        hold.id,
        hold.receivedAt.getTime(),
        hold.reason,
        hold.envelope.mailFrom,
        hold.from,
        hold.subject,
        JSON.stringify(hold.envelope),
        JSON.stringify(hold.recipients),
        JSON.stringify(hold.verdict),
        JSON.stringify(categoriesOf(hold)),
        hold.verdict.score,
        hold.severity,
        hold.raw.length,
        searchTextOf(hold),
      );
      this.statement('INSERT INTO hold_messages (hold_id, raw) VALUES (?, ?)').run(hold.id, hold.raw);
      const recipient = this.statement(
        'INSERT OR IGNORE INTO hold_recipients (hold_id, address, class) VALUES (?, ?, ?)',
      );
      for (const r of hold.recipients) recipient.run(hold.id, normaliseAddress(r.address), r.class);
      const category = this.statement('INSERT OR IGNORE INTO hold_categories (hold_id, category) VALUES (?, ?)');
      for (const c of categoriesOf(hold)) category.run(hold.id, c);
      const finding = this.statement('INSERT INTO hold_findings (hold_id, finding_index, rule) VALUES (?, ?, ?)');
      hold.verdict.findings.forEach((f, index) => finding.run(hold.id, index, f.rule));
      this.insertAudit(createdAudit(hold));
    });
    write.immediate();
  }

  async getHold(id: string): Promise<HeldItem | undefined> {
    const row = this.statement(`SELECT ${HOLD_COLUMNS} FROM holds WHERE id = ?`).get(id) as HoldRow | undefined;
    return row === undefined ? undefined : holdFromRow(row);
  }

  async getRaw(id: string): Promise<Buffer | undefined> {
    const row = this.statement('SELECT raw FROM hold_messages WHERE hold_id = ?').get(id) as
      | { raw: Buffer }
      | undefined;
    return row?.raw;
  }

  async listHolds(filter: HoldFilter = {}): Promise<HeldItem[]> {
    const params: Params = [];
    const where = holdWhere(filter, sqliteDialect(params));
    params.push(listLimit(filter.limit, DEFAULT_LIST_LIMIT), listOffset(filter.offset));
    const rows = this.statement(
      `SELECT ${HOLD_COLUMNS} FROM holds WHERE ${where} ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?`,
    ).all(...params) as HoldRow[];
    return rows.map(holdFromRow);
  }

  async countHolds(filter: HoldFilter = {}): Promise<number> {
    const params: Params = [];
    const where = holdWhere(filter, sqliteDialect(params));
    const row = this.statement(`SELECT count(*) AS n FROM holds WHERE ${where}`).get(...params) as { n: number };
    return row.n;
  }

  async decide(id: string, decision: Decision, fromStates?: HoldState[]): Promise<HeldItem> {
    // Never from the target state itself: two escalations at once must not both succeed.
    const from = (fromStates ?? defaultFromStates(decision.state)).filter((s) => s !== decision.state);
    const at = decision.at.getTime();
    const apply = this.db.transaction((): HeldItem => {
      const result =
        from.length === 0
          ? { changes: 0 }
          : this.statement(
              `UPDATE holds SET state = ?, decided_by = ?, decided_at = ?, decision_reason = ?,
                 delivery_claimed_at = CASE WHEN ? = 'released' THEN ? ELSE delivery_claimed_at END
               WHERE id = ? AND state IN (${from.map(() => '?').join(', ')})`,
            ).run(decision.state, decision.actor, at, decision.reason ?? null, decision.state, at, id, ...from);
      const row = this.statement(`SELECT ${HOLD_COLUMNS} FROM holds WHERE id = ?`).get(id) as HoldRow | undefined;
      if (row === undefined) throw new HoldNotFoundError(id);
      if (result.changes !== 1) throw new StateConflictError(id, row.state as HoldState);
      return holdFromRow(row);
    });
    return apply.immediate();
  }

  async claimDelivery(id: string, at: Date): Promise<boolean> {
    const result = this.statement(
      `UPDATE holds SET delivery_claimed_at = ?
       WHERE id = ? AND state = 'released' AND (delivery_status IS NULL OR delivery_status = 'failed')
         AND (delivery_claimed_at IS NULL OR delivery_claimed_at <= ?)`,
    ).run(at.getTime(), id, at.getTime() - DELIVERY_CLAIM_TIMEOUT_MS);
    return result.changes === 1;
  }

  async claimJobRun(job: string, period: string, at: Date): Promise<boolean> {
    const claimed =
      this.statement(`INSERT INTO job_runs (job, period, claimed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`).run(
        job,
        period,
        at.getTime(),
      ).changes === 1;
    if (claimed) {
      this.statement(`DELETE FROM job_runs WHERE job = ? AND claimed_at < ?`).run(job, at.getTime() - JOB_RUN_KEEP_MS);
    }
    return claimed;
  }

  async recordDelivery(id: string, outcome: DeliveryOutcome): Promise<void> {
    const result = this.statement(
      `UPDATE holds SET delivery_status = ?, delivery_at = ?, delivery_response = ?, delivery_claimed_at = NULL WHERE id = ?`,
    ).run(outcome.status, outcome.at.getTime(), outcome.response, id);
    if (result.changes !== 1) throw new HoldNotFoundError(id);
  }

  async markNotified(id: string, kind: 'dsl' | 'overdue', at: Date): Promise<void> {
    const column = kind === 'dsl' ? 'dsl_notified_at' : 'overdue_notified_at';
    const result = this.statement(`UPDATE holds SET ${column} = ? WHERE id = ?`).run(at.getTime(), id);
    if (result.changes !== 1) throw new HoldNotFoundError(id);
  }

  async purgeDecided(before: Date): Promise<number> {
    // Only finished items: a release whose delivery failed is still owed to its recipients and stays.
    const result = this.statement(
      `DELETE FROM holds
       WHERE (state = 'rejected' OR (state = 'released' AND delivery_status = 'delivered')) AND decided_at < ?`,
    ).run(before.getTime());
    if (result.changes > 0) {
      this.db.pragma('incremental_vacuum');
      // secure_delete zeroes the purged pages in the database file, but the write-ahead log still holds copies of
      // them (from when the message was stored) until a checkpoint: copy it back and empty it. If a reader keeps
      // the log busy the checkpoint is partial; the next hourly purge tries again.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return result.changes;
  }

  private insertAudit(entry: AuditEntry): void {
    this.statement(
      'INSERT INTO audit (at, actor, action, hold_id, remote_address, detail) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      entry.at.getTime(),
      entry.actor,
      entry.action,
      entry.holdId ?? null,
      entry.remoteAddress ?? null,
      auditDetailJson(entry),
    );
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.insertAudit(entry);
  }

  async listAudit(filter: AuditFilter = {}): Promise<StoredAuditEntry[]> {
    const params: Params = [];
    const where = auditWhere(filter, sqliteDialect(params));
    params.push(listLimit(filter.limit, DEFAULT_AUDIT_LIMIT));
    const rows = this.statement(
      `SELECT seq, at, actor, action, hold_id, remote_address, detail FROM audit WHERE ${where} ORDER BY seq DESC LIMIT ?`,
    ).all(...params) as AuditRow[];
    return rows.map(auditFromRow);
  }

  async addFeedback(feedback: FindingFeedback): Promise<void> {
    this.statement(
      `INSERT INTO finding_feedback (hold_id, finding_index, rule, actor, at, verdict) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (hold_id, finding_index, actor) DO NOTHING`,
    ).run(
      feedback.holdId,
      feedback.findingIndex,
      feedback.rule,
      feedback.actor,
      feedback.at.getTime(),
      feedback.verdict,
    );
  }

  async listFeedback(holdId: string): Promise<FindingFeedback[]> {
    const rows = this.statement(
      'SELECT hold_id, finding_index, rule, actor, at, verdict FROM finding_feedback WHERE hold_id = ? ORDER BY at, finding_index, actor',
    ).all(holdId) as FeedbackRow[];
    return rows.map(feedbackFromRow);
  }

  async ruleFeedbackCounts(): Promise<RuleFeedbackCount[]> {
    const rows = this.statement(RULE_FEEDBACK_COUNTS).all() as {
      rule: string;
      findings: number;
      not_a_concern: number;
    }[];
    return rows.map((r) => ({ rule: r.rule, findings: r.findings, notAConcern: r.not_a_concern }));
  }

  async createUser(user: User): Promise<void> {
    this.statement(
      `INSERT INTO users (email, roles, password_hash, created_at, failed_logins, locked_until, disabled)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      normaliseAddress(user.email),
      JSON.stringify(user.roles),
      user.passwordHash,
      user.createdAt.getTime(),
      user.failedLogins,
      user.lockedUntil?.getTime() ?? null,
      user.disabled ? 1 : 0,
    );
  }

  async getUser(email: string): Promise<User | undefined> {
    const row = this.statement('SELECT * FROM users WHERE email = ?').get(normaliseAddress(email)) as
      | UserRow
      | undefined;
    return row === undefined ? undefined : userFromRow(row);
  }

  async listUsers(): Promise<User[]> {
    return (this.statement('SELECT * FROM users ORDER BY email').all() as UserRow[]).map(userFromRow);
  }

  async updateUser(email: string, changes: Partial<Omit<User, 'email' | 'createdAt'>>): Promise<void> {
    const params: Params = [];
    const sets = userChanges(changes, sqliteDialect(params), (b) => (b ? 1 : 0));
    const sql =
      sets.length === 0 ? 'SELECT 1 FROM users WHERE email = ?' : `UPDATE users SET ${sets.join(', ')} WHERE email = ?`;
    params.push(normaliseAddress(email));
    const found =
      sets.length === 0
        ? this.statement(sql).get(...params) !== undefined
        : this.statement(sql).run(...params).changes === 1;
    if (!found) throw new UserNotFoundError(email);
  }

  async recordFailedLogin(email: string, lockAfter: number, lockUntil: Date): Promise<FailedLoginCount | undefined> {
    const params: Params = [];
    const sql = failedLoginUpdate(sqliteDialect(params), normaliseAddress(email), lockAfter, lockUntil);
    return failedLoginCount(this.statement(sql).get(...params) as UserRow | undefined, lockAfter);
  }

  async createSession(session: Session): Promise<void> {
    this.statement('INSERT INTO sessions (id, email, csrf_secret, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
      session.id,
      normaliseAddress(session.email),
      session.csrfSecret,
      session.createdAt.getTime(),
      session.expiresAt.getTime(),
    );
  }

  async getSession(id: string): Promise<Session | undefined> {
    const row = this.statement('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row === undefined ? undefined : sessionFromRow(row);
  }

  async deleteSession(id: string): Promise<void> {
    this.statement('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async deleteSessionsOf(email: string): Promise<number> {
    return this.statement('DELETE FROM sessions WHERE email = ?').run(normaliseAddress(email)).changes;
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.statement('DELETE FROM sessions WHERE expires_at <= ?').run(now.getTime()).changes;
  }
}
