// The shared hold-store behaviour against a real SQLite file, plus what only SQLite needs (file settings).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../src/gateway/migrations/migration.js';
import { SQLITE_MIGRATIONS } from '../../../src/gateway/migrations/sqlite.js';
import { SqliteStore } from '../../../src/gateway/sqlite-store.js';
import { makeHold } from './fixtures.js';
import { describeHoldStore } from './hold-store-suite.js';

async function createSqlite() {
  const folder = mkdtempSync(join(tmpdir(), 'chaperone-store-'));
  const path = join(folder, 'chaperone.db');
  const store = new SqliteStore(path);
  await store.init();
  const opened: SqliteStore[] = [store];
  return {
    store,
    async connectAgain() {
      const other = new SqliteStore(path);
      await other.init();
      opened.push(other);
      return other;
    },
    async exec(sql: string) {
      const db = new Database(path);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    async schemaVersion() {
      return store.schemaVersion();
    },
    migrations: SQLITE_MIGRATIONS,
    async connectWith(migrations: readonly Migration[]) {
      const other = new SqliteStore(path, { migrations });
      opened.push(other);
      await other.init();
      return other;
    },
    async cleanup() {
      for (const s of opened) await s.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

describeHoldStore('SQLite', createSqlite);

describe('SQLite hold store file', () => {
  it('uses write-ahead logging, full fsync and foreign keys', async () => {
    const t = await createSqlite();
    try {
      const db = new Database((t.store as SqliteStore).path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
      const store = t.store as unknown as { db: Database.Database };
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('secure_delete', { simple: true })).toBe(1);
    } finally {
      await t.cleanup();
    }
  });

  it('creates the database and its write-ahead log readable by their owner only', async () => {
    const t = await createSqlite();
    try {
      await t.store.putHold(makeHold());
      const path = (t.store as SqliteStore).path;
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    } finally {
      await t.cleanup();
    }
  });

  it('refuses a file whose schema is newer than this version knows', async () => {
    const t = await createSqlite();
    try {
      await t.exec("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'from the future', 0)");
      await expect(t.connectAgain()).rejects.toThrow(/version 99 .* knows only up to version/);
    } finally {
      await t.cleanup();
    }
  });
});
