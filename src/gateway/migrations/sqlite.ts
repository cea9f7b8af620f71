// The SQLite schema, step by step. Times are milliseconds since 1970 (INTEGER); JSON columns hold TEXT.
import type { Migration } from './migration.js';

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'holds, raw messages, audit log, feedback, users and sessions',
    sql: `
CREATE TABLE holds (
  id                  TEXT PRIMARY KEY,
  received_at         INTEGER NOT NULL,
  state               TEXT NOT NULL CHECK (state IN ('held', 'released', 'rejected', 'escalated')),
  reason              TEXT NOT NULL CHECK (reason IN ('flagged', 'unreadable', 'screening-failed')),
  mail_from           TEXT NOT NULL,
  header_from         TEXT NOT NULL,
  subject             TEXT NOT NULL,
  envelope            TEXT NOT NULL,
  recipients          TEXT NOT NULL,
  verdict             TEXT NOT NULL,
  categories          TEXT NOT NULL,
  score               REAL NOT NULL,
  severity            TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  size                INTEGER NOT NULL,
  search_text         TEXT NOT NULL,
  decided_by          TEXT,
  decided_at          INTEGER,
  decision_reason     TEXT,
  delivery_status     TEXT CHECK (delivery_status IN ('delivered', 'failed')),
  delivery_at         INTEGER,
  delivery_response   TEXT,
  delivery_claimed_at INTEGER,
  dsl_notified_at     INTEGER,
  overdue_notified_at INTEGER
) STRICT;
CREATE INDEX holds_received ON holds (received_at DESC, id DESC);
CREATE INDEX holds_state_received ON holds (state, received_at DESC, id DESC);
CREATE INDEX holds_decided ON holds (state, decided_at);

-- The message itself, apart from the row the queue scans; written in the same transaction as the hold.
CREATE TABLE hold_messages (
  hold_id TEXT PRIMARY KEY REFERENCES holds (id) ON DELETE CASCADE,
  raw     BLOB NOT NULL
) STRICT;

CREATE TABLE hold_recipients (
  hold_id TEXT NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  class   TEXT NOT NULL,
  PRIMARY KEY (hold_id, address)
) STRICT;
CREATE INDEX hold_recipients_address ON hold_recipients (address);

CREATE TABLE hold_categories (
  hold_id  TEXT NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  PRIMARY KEY (hold_id, category)
) STRICT;
CREATE INDEX hold_categories_category ON hold_categories (category, hold_id);

CREATE TABLE hold_findings (
  hold_id       TEXT NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  finding_index INTEGER NOT NULL,
  rule          TEXT NOT NULL,
  PRIMARY KEY (hold_id, finding_index)
) STRICT;
CREATE INDEX hold_findings_rule ON hold_findings (rule);

CREATE TABLE finding_feedback (
  hold_id       TEXT NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  finding_index INTEGER NOT NULL,
  rule          TEXT NOT NULL,
  actor         TEXT NOT NULL,
  at            INTEGER NOT NULL,
  verdict       TEXT NOT NULL CHECK (verdict IN ('not-a-concern')),
  PRIMARY KEY (hold_id, finding_index, actor)
) STRICT;
CREATE INDEX finding_feedback_rule ON finding_feedback (rule);

-- No foreign key to holds: the audit trail outlives the held message it describes.
CREATE TABLE audit (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  at             INTEGER NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  hold_id        TEXT,
  remote_address TEXT,
  detail         TEXT
) STRICT;
CREATE INDEX audit_hold ON audit (hold_id, seq);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;

CREATE TABLE users (
  email         TEXT PRIMARY KEY,
  roles         TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;

CREATE TABLE sessions (
  id          TEXT PRIMARY KEY,
  email       TEXT NOT NULL REFERENCES users (email) ON DELETE CASCADE,
  csrf_secret TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_expires ON sessions (expires_at);
`,
  },
  {
    version: 2,
    name: 'audit entries cannot be replaced',
    // INSERT OR REPLACE deletes the row it collides with without firing delete triggers (unless recursive_triggers
    // is on), so a forged entry could take an existing entry's place; refuse any insert that names a used seq.
    sql: `
CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
WHEN NEW.seq IS NOT NULL AND EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be replaced'); END;
`,
  },
  {
    version: 3,
    name: 'scheduled job runs, claimed once across instances',
    // Several relays sharing one store each run the scheduler; the instance whose insert succeeds runs the job.
    sql: `
CREATE TABLE job_runs (
  job        TEXT NOT NULL,
  period     TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  PRIMARY KEY (job, period)
) STRICT;
CREATE INDEX job_runs_claimed ON job_runs (job, claimed_at);
`,
  },
];
