// The shared hold-store behaviour against a real PostgreSQL server, each test in a schema of its own.
// Needs CHAPERONE_TEST_PG (CI sets it; see .ci/run); without it these tests are skipped, saying so.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../src/gateway/migrations/migration.js';
import { POSTGRES_MIGRATIONS } from '../../../src/gateway/migrations/postgres.js';
import { PostgresStore } from '../../../src/gateway/postgres-store.js';
import { describeHoldStore } from './hold-store-suite.js';

const url = process.env.CHAPERONE_TEST_PG;

async function createPostgres(url: string) {
  const schema = `chaperone_test_${randomBytes(6).toString('hex')}`;
  const store = new PostgresStore({ connectionString: url, schema });
  await store.init();
  const opened: PostgresStore[] = [store];
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`SET search_path TO ${schema}`);
  return {
    store,
    schema,
    async connectAgain() {
      const other = new PostgresStore({ connectionString: url, schema });
      opened.push(other);
      await other.init();
      return other;
    },
    async exec(sql: string) {
      await admin.query(sql);
    },
    async schemaVersion() {
      return store.schemaVersion();
    },
    migrations: POSTGRES_MIGRATIONS,
    async connectWith(migrations: readonly Migration[]) {
      const other = new PostgresStore({ connectionString: url, schema }, { migrations });
      opened.push(other);
      await other.init();
      return other;
    },
    async cleanup() {
      try {
        for (const s of opened) await s.close();
      } finally {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    },
  };
}

if (url === undefined) {
  describe('PostgreSQL hold store', () => {
    it.skip('needs CHAPERONE_TEST_PG=postgres://... to run (see .ci/run)', () => undefined);
  });
} else {
  describeHoldStore('PostgreSQL', () => createPostgres(url));

  describe('PostgreSQL hold store schema', () => {
    it('refuses TRUNCATE on the audit log too', async () => {
      const t = await createPostgres(url);
      try {
        await t.store.appendAudit({ at: new Date(), actor: 'dsl@x', action: 'login' });
        await expect(t.exec('TRUNCATE audit')).rejects.toThrow(/append-only/);
        expect(await t.store.listAudit()).toHaveLength(1);
      } finally {
        await t.cleanup();
      }
    });

    it('refuses a database whose schema is newer than this version knows', async () => {
      const t = await createPostgres(url);
      try {
        await t.exec("INSERT INTO schema_version (version, name) VALUES (99, 'from the future')");
        await expect(t.connectAgain()).rejects.toThrow(/version 99 .* knows only up to version/);
      } finally {
        await t.cleanup();
      }
    });
  });
}
