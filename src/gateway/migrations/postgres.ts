// The PostgreSQL schema, step by step: the same tables as the SQLite schema in PostgreSQL's types.
import type { Migration } from './migration.js';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'holds, raw messages, audit log, feedback, users and sessions',
    sql: `
CREATE TABLE holds (
  id                  TEXT PRIMARY KEY,
  received_at         TIMESTAMPTZ NOT NULL,
  state               TEXT NOT NULL CHECK (state IN ('held', 'released', 'rejected', 'escalated')),
  reason              TEXT NOT NULL CHECK (reason IN ('flagged', 'unreadable', 'screening-failed')),
  mail_from           TEXT NOT NULL,
  header_from         TEXT NOT NULL,
  subject             TEXT NOT NULL,
  envelope            JSONB NOT NULL,
  recipients          JSONB NOT NULL,
  verdict             JSONB NOT NULL,
  categories          JSONB NOT NULL,
  score               DOUBLE PRECISION NOT NULL,
  severity            TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  size                INTEGER NOT NULL,
  search_text         TEXT NOT NULL,
  decided_by          TEXT,
  decided_at          TIMESTAMPTZ,
  decision_reason     TEXT,
  delivery_status     TEXT CHECK (delivery_status IN ('delivered', 'failed')),
  delivery_at         TIMESTAMPTZ,
  delivery_response   TEXT,
  delivery_claimed_at TIMESTAMPTZ,
  dsl_notified_at     TIMESTAMPTZ,
  overdue_notified_at TIMESTAMPTZ
);
CREATE INDEX holds_received ON holds (received_at DESC, id DESC);
CREATE INDEX holds_state_received ON holds (state, received_at DESC, id DESC);
CREATE INDEX holds_decided ON holds (state, decided_at);

-- The message itself, apart from the row the queue scans; written in the same transaction as the hold.
CREATE TABLE hold_messages (
  hold_id TEXT PRIMARY KEY REFERENCES holds (id) ON DELETE CASCADE,
  raw     BYTEA NOT NULL
);

CREATE TABLE hold_recipients (
  hold_id TEXT NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  class   TEXT NOT NULL,
  PRIMARY KEY (hold_id, address)
);
CREATE INDEX hold_recipients_address ON hold_recipients (address);

CREATE TABLE hold_categories (
  hold_id  TEXT NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  PRIMARY KEY (hold_id, category)
);
CREATE INDEX hold_categories_category ON hold_categories (category, hold_id);

CREATE TABLE hold_findings (
  hold_id       TEXT NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  finding_index INTEGER NOT NULL,
  rule          TEXT NOT NULL,
  PRIMARY KEY (hold_id, finding_index)
);
CREATE INDEX hold_findings_rule ON hold_findings (rule);

CREATE TABLE finding_feedback (
  hold_id       TEXT NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  finding_index INTEGER NOT NULL,
  rule          TEXT NOT NULL,
  actor         TEXT NOT NULL,
  at            TIMESTAMPTZ NOT NULL,
  verdict       TEXT NOT NULL CHECK (verdict IN ('not-a-concern')),
  PRIMARY KEY (hold_id, finding_index, actor)
);
CREATE INDEX finding_feedback_rule ON finding_feedback (rule);

-- No foreign key to holds: the audit trail outlives the held message it describes.
CREATE TABLE audit (
  seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             TIMESTAMPTZ NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  hold_id        TEXT,
  remote_address TEXT,
  detail         JSONB
);
CREATE INDEX audit_hold ON audit (hold_id, seq);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: entries cannot be changed or deleted (%)', TG_OP;
END
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TABLE users (
  email         TEXT PRIMARY KEY,
  roles         JSONB NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  TIMESTAMPTZ,
  disabled      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE sessions (
  id          TEXT PRIMARY KEY,
  email       TEXT NOT NULL REFERENCES users (email) ON DELETE CASCADE,
  csrf_secret TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
`,
  },
  {
    version: 2,
    name: 'scheduled job runs, claimed once across instances',
    // Several relays sharing one queue each run the scheduler; the instance whose insert succeeds runs the job.
    sql: `
CREATE TABLE job_runs (
  job        TEXT NOT NULL,
  period     TEXT NOT NULL,
  claimed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (job, period)
);
CREATE INDEX job_runs_claimed ON job_runs (job, claimed_at);
`,
  },
];
