// The shared hold store: PostgreSQL, for several relay instances and review apps working one queue.
// Every state change is a single conditional UPDATE, so concurrent instances never overwrite each other's decisions.
import pg from 'pg';
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
  RULE_FEEDBACK_COUNTS,
  UserNotFoundError,
  auditDetailJson,
  auditFromRow,
  auditWhere,
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
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { StorageSettingError } from './open-store.js';

/** Connections per process: the relay and review app share them; PostgreSQL's default limit is 100 for all instances. */
const POOL_SIZE = 10;
/** A statement running longer than this is cancelled: a stuck query must not hold an SMTP session open for ever. */
const STATEMENT_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

type Params = unknown[];

function postgresDialect(params: Params): SqlDialect {
  return {
    param(value) {
      params.push(value);
      return `$${params.length}`;
    },
    time: (date) => date,
  };
}

/** PostgreSQL text cannot hold NUL; a stray one in a decoded subject must not make a hold fail. Same length, so offsets stay. */
function text(value: string): string;
function text(value: string | undefined): string | null;
function text(value: string | undefined): string | null {
  return value === undefined ? null : value.replace(/\0/g, '\uFFFD');
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? text(v) : v));
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** PostgreSQL schema names Chaperone accepts in `?schema=`: plain identifiers, so they need no quoting games. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresTarget {
  connectionString: string;
  /** Tables live in this schema (created if missing); default the connection's search_path, normally `public`. */
  schema?: string;
}

/** Splits Chaperone's own `schema` parameter off a PostgreSQL URL, leaving the rest for the driver. */
export function parsePostgresUrl(storage: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(storage);
  } catch {
    throw new StorageSettingError(storage, 'is not a valid PostgreSQL URL');
  }
  if (url.hostname === '' && !url.searchParams.has('host')) {
    throw new StorageSettingError(storage, 'names no host');
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StorageSettingError(storage, `has schema=${schema}, which is not a plain lower-case name`);
  }
  return schema === undefined ? { connectionString: url.toString() } : { connectionString: url.toString(), schema };
}

export class PostgresStore implements HoldStore {
  private readonly pool: pg.Pool;
  private closed = false;

  private readonly migrations: readonly Migration[];

  /** `migrations` is for tests of the upgrade path; the store's own schema is the default. */
  constructor(
    readonly target: PostgresTarget,
    options: { migrations?: readonly Migration[] } = {},
  ) {
    this.migrations = options.migrations ?? POSTGRES_MIGRATIONS;
    if (target.schema !== undefined && !SCHEMA_NAME.test(target.schema)) {
      throw new Error(`PostgreSQL schema name '${target.schema}' is not a plain lower-case name`);
    }
    this.pool = new pg.Pool({
      connectionString: target.connectionString,
      max: POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      application_name: 'chaperone',
      // Set at connection start-up, so every pooled connection works in the store's schema from its first query.
      ...(target.schema === undefined ? {} : { options: `-c search_path=${target.schema}` }),
    });
    // A connection dropped while idle is replaced on next use; without a listener the error would end the process.
    this.pool.on('error', () => undefined);
  }
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async init(): Promise<void> {
    checkMigrations(this.migrations, 'PostgreSQL');
    await this.transaction(async (client) => {
      // Relays starting together take turns: the first migrates, the others find the work done.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `chaperone-schema:${this.target.schema ?? ''}`,
      ]);
      if (this.target.schema !== undefined) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.target.schema)}`);
      }
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_version (
           version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number | null }>(
        'SELECT max(version) AS version FROM schema_version',
      );
      const current = rows[0]?.version ?? 0;
      if (current > this.migrations.length) throw new SchemaTooNewError(current, this.migrations.length);
      for (const migration of this.migrations.slice(current)) {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_version',
    );
    return rows[0]?.version ?? 0;
  }

  async putHold(hold: NewHold): Promise<void> {
    const categories = categoriesOf(hold);
    const recipients = new Map(hold.recipients.map((r) => [normaliseAddress(r.address), r.class]));
    await this.transaction(async (client) => {
      await client.query(
        `INSERT INTO holds (id, received_at, state, reason, mail_from, header_from, subject, envelope, recipients, verdict,
           categories, score, severity, size, search_text)
         VALUES ($1, $2, 'held', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          hold.id,
          hold.receivedAt,
          hold.reason,
          text(hold.envelope.mailFrom),
          text(hold.from),
          text(hold.subject),
          jsonText(hold.envelope),
          jsonText(hold.recipients),
          jsonText(hold.verdict),
          JSON.stringify(categories),
          hold.verdict.score,
          hold.severity,
          hold.raw.length,
          text(searchTextOf(hold)),
        ],
      );
      await client.query('INSERT INTO hold_messages (hold_id, raw) VALUES ($1, $2)', [hold.id, hold.raw]);
      await client.query(
        `INSERT INTO hold_recipients (hold_id, address, class)
         SELECT $1, address, class FROM unnest($2::text[], $3::text[]) AS r (address, class)`,
        [hold.id, [...recipients.keys()].map((a) => text(a)), [...recipients.values()]],
      );
      await client.query('INSERT INTO hold_categories (hold_id, category) SELECT $1, unnest($2::text[])', [
        hold.id,
        categories,
      ]);
      await client.query(
        `INSERT INTO hold_findings (hold_id, finding_index, rule)
         SELECT $1, ordinality - 1, rule FROM unnest($2::text[]) WITH ORDINALITY AS f (rule, ordinality)`,
        [hold.id, hold.verdict.findings.map((f) => text(f.rule))],
      );
      await this.insertAudit(client, createdAudit(hold));
    });
  }

  async getHold(id: string): Promise<HeldItem | undefined> {
    const { rows } = await this.pool.query<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : holdFromRow(rows[0]);
  }

  async getRaw(id: string): Promise<Buffer | undefined> {
    const { rows } = await this.pool.query<{ raw: Buffer }>('SELECT raw FROM hold_messages WHERE hold_id = $1', [id]);
    return rows[0]?.raw;
  }

  async listHolds(filter: HoldFilter = {}): Promise<HeldItem[]> {
    const params: Params = [];
    const sql = postgresDialect(params);
    const where = holdWhere(filter, sql);
    const limit = sql.param(listLimit(filter.limit, DEFAULT_LIST_LIMIT));
    const offset = sql.param(listOffset(filter.offset));
    const { rows } = await this.pool.query<HoldRow>(
      `SELECT ${HOLD_COLUMNS} FROM holds WHERE ${where} ORDER BY received_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return rows.map(holdFromRow);
  }

  async countHolds(filter: HoldFilter = {}): Promise<number> {
    const params: Params = [];
    const where = holdWhere(filter, postgresDialect(params));
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM holds WHERE ${where}`, params);
    return Number(rows[0]?.n ?? 0);
  }

  async decide(id: string, decision: Decision, fromStates?: HoldState[]): Promise<HeldItem> {
    // Never from the target state itself: two escalations at once must not both succeed.
    const from = (fromStates ?? defaultFromStates(decision.state)).filter((s) => s !== decision.state);
    // Under READ COMMITTED a second UPDATE waits for the first, then re-checks the state: exactly one wins.
    const { rows } = await this.pool.query<HoldRow>(
      `UPDATE holds SET state = $1::text, decided_by = $2, decided_at = $3, decision_reason = $4,
         delivery_claimed_at = CASE WHEN $1::text = 'released' THEN $3 ELSE delivery_claimed_at END
       WHERE id = $5 AND state = ANY($6::text[])
       RETURNING ${HOLD_COLUMNS}`,
      [decision.state, text(decision.actor), decision.at, text(decision.reason), id, from],
    );
    if (rows[0] !== undefined) return holdFromRow(rows[0]);
    const current = await this.pool.query<{ state: HoldState }>('SELECT state FROM holds WHERE id = $1', [id]);
    if (current.rows[0] === undefined) throw new HoldNotFoundError(id);
    throw new StateConflictError(id, current.rows[0].state);
  }

  async claimDelivery(id: string, at: Date): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE holds SET delivery_claimed_at = $2
       WHERE id = $1 AND state = 'released' AND (delivery_status IS NULL OR delivery_status = 'failed')
         AND (delivery_claimed_at IS NULL OR delivery_claimed_at <= $3)`,
      [id, at, new Date(at.getTime() - DELIVERY_CLAIM_TIMEOUT_MS)],
    );
    return result.rowCount === 1;
  }

  async claimJobRun(job: string, period: string, at: Date): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO job_runs (job, period, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [job, period, at],
    );
    if (result.rowCount !== 1) return false;
    await this.pool.query(`DELETE FROM job_runs WHERE job = $1 AND claimed_at < $2`, [
      job,
      new Date(at.getTime() - JOB_RUN_KEEP_MS),
    ]);
    return true;
  }

  async recordDelivery(id: string, outcome: DeliveryOutcome): Promise<void> {
    const result = await this.pool.query(
      `UPDATE holds SET delivery_status = $2, delivery_at = $3, delivery_response = $4, delivery_claimed_at = NULL
       WHERE id = $1`,
      [id, outcome.status, outcome.at, text(outcome.response)],
    );
    if (result.rowCount !== 1) throw new HoldNotFoundError(id);
  }

  async markNotified(id: string, kind: 'dsl' | 'overdue', at: Date): Promise<void> {
    const column = kind === 'dsl' ? 'dsl_notified_at' : 'overdue_notified_at';
    const result = await this.pool.query(`UPDATE holds SET ${column} = $2 WHERE id = $1`, [id, at]);
    if (result.rowCount !== 1) throw new HoldNotFoundError(id);
  }

  async purgeDecided(before: Date): Promise<number> {
    // Only finished items: a release whose delivery failed is still owed to its recipients and stays.
    const result = await this.pool.query(
      `DELETE FROM holds
       WHERE (state = 'rejected' OR (state = 'released' AND delivery_status = 'delivered')) AND decided_at < $1`,
      [before],
    );
    return result.rowCount ?? 0;
  }

  private async insertAudit(client: pg.Pool | pg.PoolClient, entry: AuditEntry): Promise<void> {
    const detail = auditDetailJson(entry);
    await client.query(
      'INSERT INTO audit (at, actor, action, hold_id, remote_address, detail) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        entry.at,
        text(entry.actor),
        text(entry.action),
        text(entry.holdId),
        text(entry.remoteAddress),
        detail === null ? null : jsonText(JSON.parse(detail)),
      ],
    );
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.insertAudit(this.pool, entry);
  }

  async listAudit(filter: AuditFilter = {}): Promise<StoredAuditEntry[]> {
    const params: Params = [];
    const sql = postgresDialect(params);
    const where = auditWhere(filter, sql);
    const limit = sql.param(listLimit(filter.limit, DEFAULT_AUDIT_LIMIT));
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT seq, at, actor, action, hold_id, remote_address, detail FROM audit WHERE ${where}
       ORDER BY seq DESC LIMIT ${limit}`,
      params,
    );
    return rows.map(auditFromRow);
  }

  async addFeedback(feedback: FindingFeedback): Promise<void> {
    await this.pool.query(
      `INSERT INTO finding_feedback (hold_id, finding_index, rule, actor, at, verdict) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (hold_id, finding_index, actor) DO NOTHING`,
      [
        feedback.holdId,
        feedback.findingIndex,
        text(feedback.rule),
        text(feedback.actor),
        feedback.at,
        feedback.verdict,
      ],
    );
  }

  async listFeedback(holdId: string): Promise<FindingFeedback[]> {
    const { rows } = await this.pool.query<FeedbackRow>(
      `SELECT hold_id, finding_index, rule, actor, at, verdict FROM finding_feedback WHERE hold_id = $1
       ORDER BY at, finding_index, actor`,
      [holdId],
    );
    return rows.map(feedbackFromRow);
  }

  async ruleFeedbackCounts(): Promise<RuleFeedbackCount[]> {
    const { rows } = await this.pool.query<{ rule: string; findings: string; not_a_concern: string }>(
      RULE_FEEDBACK_COUNTS,
    );
    return rows.map((r) => ({ rule: r.rule, findings: Number(r.findings), notAConcern: Number(r.not_a_concern) }));
  }

  async createUser(user: User): Promise<void> {
    await this.pool.query(
      `INSERT INTO users (email, roles, password_hash, created_at, failed_logins, locked_until, disabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        text(normaliseAddress(user.email)),
        JSON.stringify(user.roles),
        user.passwordHash,
        user.createdAt,
        user.failedLogins,
        user.lockedUntil ?? null,
        user.disabled,
      ],
    );
  }

  async getUser(email: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE email = $1', [
      text(normaliseAddress(email)),
    ]);
    return rows[0] === undefined ? undefined : userFromRow(rows[0]);
  }

  async listUsers(): Promise<User[]> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users ORDER BY email');
    return rows.map(userFromRow);
  }

  async updateUser(email: string, changes: Partial<Omit<User, 'email' | 'createdAt'>>): Promise<void> {
    const params: Params = [];
    const sql = postgresDialect(params);
    const sets = userChanges(changes, sql, (b) => b);
    const where = `email = ${sql.param(text(normaliseAddress(email)))}`;
    const result = await this.pool.query(
      sets.length === 0 ? `SELECT 1 FROM users WHERE ${where}` : `UPDATE users SET ${sets.join(', ')} WHERE ${where}`,
      params,
    );
    if (result.rowCount !== 1) throw new UserNotFoundError(email);
  }

  async recordFailedLogin(email: string, lockAfter: number, lockUntil: Date): Promise<FailedLoginCount | undefined> {
    const params: Params = [];
    const sql = failedLoginUpdate(postgresDialect(params), text(normaliseAddress(email)), lockAfter, lockUntil);
    const { rows } = await this.pool.query<UserRow>(sql, params);
    return failedLoginCount(rows[0], lockAfter);
  }

  async createSession(session: Session): Promise<void> {
    await this.pool.query(
      'INSERT INTO sessions (id, email, csrf_secret, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [session.id, text(normaliseAddress(session.email)), session.csrfSecret, session.createdAt, session.expiresAt],
    );
  }

  async getSession(id: string): Promise<Session | undefined> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : sessionFromRow(rows[0]);
  }

  async deleteSession(id: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  async deleteSessionsOf(email: string): Promise<number> {
    const result = await this.pool.query('DELETE FROM sessions WHERE email = $1', [text(normaliseAddress(email))]);
    return result.rowCount ?? 0;
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    const result = await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
    return result.rowCount ?? 0;
  }
}
