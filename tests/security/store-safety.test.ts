// The hold store as an auditor of personal data would check it: queries built only with bound parameters, filters
// that treat hostile text as text, an audit log that cannot be edited (SQLite and PostgreSQL), purged mail really
// gone from the files on disk while its audit record stays, and a database only its owner can read.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLimit, MAX_LIST_LIMIT } from '../../src/gateway/hold-rows.js';
import { openStore } from '../../src/gateway/open-store.js';
import { SqliteStore } from '../../src/gateway/sqlite-store.js';
import { makeHold, PHONE_FLAG } from '../gateway/review/fixtures.js';

const SOURCES = ['sqlite-store.ts', 'postgres-store.ts', 'hold-rows.ts'].map((name) => ({
  name,
  text: readFileSync(join(import.meta.dirname, '../../src/gateway', name), 'utf8'),
}));

/**
 * The only `${...}` allowed inside SQL text: names of fixed column lists and clauses built by hold-rows.ts, each of
 * which binds its values with sql.param. Anything new here must be read by a person before it is added.
 */
const REVIEWED_INTERPOLATIONS = new Set([
  'HOLD_COLUMNS',
  'where',
  'column',
  "sets.join(', ')",
  "from.map(() => '?').join(', ')",
  "from.map((_, i) => `$${i + 9}`).join(', ')",
  "from.map((_, i) => `$${i + 8}`).join(', ')",
  "filter.states.map((s) => sql.param(s)).join(', ')",
  'sql.param(filter.category)',
  'sql.param(likePattern(filter.sender))',
  'sql.param(normaliseAddress(filter.recipient))',
  'sql.param(sql.time(filter.receivedAfter))',
  'sql.param(sql.time(filter.receivedBefore))',
  'sql.param(likePattern(filter.search.trim()))',
  'sql.param(filter.holdId)',
  'sql.param(filter.actor)',
  'sql.param(filter.beforeSeq)',
  'sql.param(JSON.stringify(changes.roles))',
  'sql.param(changes.passwordHash)',
  'sql.param(changes.failedLogins)',
  'sql.param(changes.lockedUntil === undefined ? null : sql.time(changes.lockedUntil))',
  'sql.param(bool(changes.disabled))',
  'sql.param(lockAfter)',
  'sql.param(sql.time(lockUntil))',
  'sql.param(email)',
  'params.length',
  'limit',
  'offset',
]);

/** Template literals that read as SQL (a keyword at the start of a clause), with their interpolations. */
function sqlInterpolations(text: string): string[] {
  const found: string[] = [];
  for (const literal of text.matchAll(/`([^`]*(?:`[^`]*`[^`]*)*?)`/gs)) {
    const body = literal[1] ?? '';
    if (!/\b(SELECT|INSERT|UPDATE|DELETE|WHERE|SET|VALUES|IN|LIKE|AND)\b/.test(body)) continue;
    for (const m of body.matchAll(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g)) found.push(m[1] ?? '');
  }
  return found;
}

describe('SQL', () => {
  it('is built only from reviewed pieces: every value is a bound parameter', () => {
    const unreviewed = SOURCES.flatMap(({ name, text }) =>
      sqlInterpolations(text)
        .filter((i) => !REVIEWED_INTERPOLATIONS.has(i))
        .map((i) => `${name}: \${${i}}`),
    );
    expect(unreviewed).toEqual([]);
  });

  it('never concatenates strings into SQL', () => {
    for (const { name, text } of SOURCES) {
      expect(text, name).not.toMatch(/(['"])\s*(SELECT|INSERT|UPDATE|DELETE)[^'"]*\1\s*\+/i);
    }
  });

  it('caps any list at MAX_LIST_LIMIT, whatever the caller asks for', () => {
    expect(listLimit(1e12, 100)).toBe(MAX_LIST_LIMIT);
    expect(listLimit(-5, 100)).toBe(0);
    expect(listLimit(Number.NaN, 100)).toBe(100);
    expect(listLimit(Number.POSITIVE_INFINITY, 100)).toBe(100);
  });
});

describe('the SQLite store', () => {
  let dir: string;
  let store: SqliteStore;
  const file = () => join(dir, 'data', 'chaperone.db');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chaperone-store-safety-'));
    store = (await openStore(`sqlite:${file()}`)) as SqliteStore;
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('treats hostile search and sender text as text', async () => {
    await store.putHold(await makeHold({ text: 'Text me on 07700 900123', flags: [PHONE_FLAG], subject: "O'Brien" }));
    for (const text of ["'; DROP TABLE holds; --", "' OR '1'='1", '%', '_', '\\', '%%']) {
      expect(await store.listHolds({ search: text }), text).toHaveLength(0);
      expect(await store.listHolds({ sender: text }), text).toHaveLength(0);
      expect(await store.listHolds({ recipient: text }), text).toHaveLength(0);
    }
    expect(await store.listHolds({ search: "o'brien" })).toHaveLength(1);
    await store.putHold(await makeHold({ text: 'Text me on 07700 900123', flags: [PHONE_FLAG], subject: '100% _on_' }));
    expect((await store.listHolds({ search: '0%' })).map((i) => i.subject)).toEqual(['100% _on_']);
    expect((await store.listHolds({ search: '_on_' })).map((i) => i.subject)).toEqual(['100% _on_']);
    expect(await store.countHolds()).toBe(2);
  });

  it('creates the database, its journal files and its folder readable by their owner only', async () => {
    await store.putHold(await makeHold({ text: 'Text me on 07700 900123', flags: [PHONE_FLAG] }));
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    for (const name of [file(), `${file()}-wal`, `${file()}-shm`]) {
      if (existsSync(name)) expect(statSync(name).mode & 0o077, name).toBe(0);
    }
  });

  it('refuses to change or delete audit entries, even by direct SQL on the file', () => {
    const db = new Database(file());
    try {
      expect(() => db.prepare("UPDATE audit SET actor = 'someone else'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
      const first = db.prepare('SELECT seq FROM audit ORDER BY seq LIMIT 1').get() as { seq: number };
      expect(() =>
        db
          .prepare("INSERT OR REPLACE INTO audit (seq, at, actor, action) VALUES (?, 0, 'forger', 'hold.released')")
          .run(first.seq),
      ).toThrow(/append-only/);
      expect(db.prepare("SELECT count(*) AS n FROM audit WHERE actor = 'forger'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('removes a purged message from every file on disk, and keeps its audit record', async () => {
    const marker = 'Zanzibar-Quokka-Purge-Marker';
    const hold = await makeHold({
      text: `Text me on 07700 900123 ${marker}`,
      flags: [PHONE_FLAG],
      subject: marker,
    });
    await store.putHold(hold);
    await store.decide(hold.id, { state: 'rejected', actor: 'dsl@oakfield.sch.uk', at: new Date(Date.now() - 1000) });
    expect(await store.purgeDecided(new Date())).toBeGreaterThan(0);
    expect(await store.getHold(hold.id)).toBeUndefined();
    expect(await store.getRaw(hold.id)).toBeUndefined();
    const actions = (await store.listAudit({ holdId: hold.id })).map((e) => e.action);
    expect(actions).toEqual(['hold.created']);
    for (const name of [file(), `${file()}-wal`]) {
      if (!existsSync(name)) continue;
      expect(readFileSync(name).includes(marker), `${name} still holds the purged message`).toBe(false);
    }
  });
});

const pgUrl = process.env.CHAPERONE_TEST_PG;

describe.skipIf(pgUrl === undefined)('the PostgreSQL store', () => {
  let client: pg.Client;
  const schema = `security_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    const { POSTGRES_MIGRATIONS } = await import('../../src/gateway/migrations/postgres.js');
    for (const migration of POSTGRES_MIGRATIONS) await client.query(migration.sql);
    await client.query("INSERT INTO audit (at, actor, action) VALUES (now(), 'system', 'hold.created')");
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });

  it.each([
    ['UPDATE', "UPDATE audit SET actor = 'someone else'"],
    ['DELETE', 'DELETE FROM audit'],
    ['TRUNCATE', 'TRUNCATE audit'],
    [
      'an upsert over an existing entry',
      "INSERT INTO audit (seq, at, actor, action) OVERRIDING SYSTEM VALUE SELECT seq, now(), 'forger', 'x' FROM audit ON CONFLICT (seq) DO UPDATE SET actor = 'forger'",
    ],
  ])('refuses %s on the audit log', async (_label, sql) => {
    await expect(client.query(sql)).rejects.toThrow(/append-only/);
    const { rows } = await client.query("SELECT count(*)::int AS n FROM audit WHERE actor = 'system'");
    expect(rows[0]).toEqual({ n: 1 });
  });
});
