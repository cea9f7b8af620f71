// The `storage` setting: which store it opens, and what it says when the value is wrong.
import { dropSchema } from './test-databases.js';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, redact, StoreUnavailableError } from '../../../src/gateway/open-store.js';
import { parsePostgresUrl, PostgresStore } from '../../../src/gateway/postgres-store.js';
import { SqliteStore } from '../../../src/gateway/sqlite-store.js';

describe('openStore', () => {
  it('opens a SQLite file, creating its folder and schema', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'chaperone-open-'));
    try {
      const store = await openStore(`sqlite:${join(folder, 'data', 'queue.db')}`);
      expect(store).toBeInstanceOf(SqliteStore);
      expect(existsSync(join(folder, 'data', 'queue.db'))).toBe(true);
      expect(await store.countHolds()).toBe(0);
      await store.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.skipIf(process.env.CHAPERONE_TEST_PG === undefined)(
    'opens PostgreSQL from a postgresql:// URL (needs CHAPERONE_TEST_PG)',
    async () => {
      const url = new URL(process.env.CHAPERONE_TEST_PG!.replace(/^postgres:/, 'postgresql:'));
      url.searchParams.set('schema', `chaperone_test_open_${process.pid}`);
      const store = await openStore(url.toString());
      try {
        expect(store).toBeInstanceOf(PostgresStore);
        expect(await store.countHolds()).toBe(0);
        await store.appendAudit({ at: new Date(), actor: 'system', action: 'test' });
      } finally {
        await store.close();
        await dropSchema(process.env.CHAPERONE_TEST_PG!, url.searchParams.get('schema')!);
      }
    },
  );

  it('explains a storage value it does not understand, with the forms it accepts', async () => {
    await expect(openStore('mysql://db/chaperone')).rejects.toThrow(
      /storage: 'mysql:\/\/db\/chaperone' is not a storage Chaperone knows\. Use 'sqlite:PATH'/,
    );
    await expect(openStore('sqlite:')).rejects.toThrow(/names no file/);
    await expect(openStore('sqlite::memory:')).rejects.toThrow(/lost on restart/);
    await expect(openStore('postgres:///chaperone')).rejects.toThrow(/names no host/);
    await expect(openStore('postgres://u:secret@host/db?schema=Bad-Name')).rejects.toThrow(
      /not a plain lower-case name/,
    );
  });

  it('never shows a PostgreSQL password in an error', async () => {
    expect(redact('postgres://chaperone:s3cret@db:5432/queue')).toBe('postgres://chaperone:****@db:5432/queue');
    await expect(openStore('postgres://u:s3cret@host/db?schema=Bad')).rejects.not.toThrow(/s3cret/);
  });

  it('says which store it could not open when the server is not there, without the password', async () => {
    const attempt = openStore('postgres://chaperone:s3cret@127.0.0.1:1/chaperone');
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(
      /^cannot open the store at postgres:\/\/chaperone:\*\*\*\*@127\.0\.0\.1:1\/chaperone: /,
    );
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it('says which SQLite file it could not open', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'chaperone-open-'));
    try {
      writeFileSync(join(folder, 'not-a-folder'), '');
      await expect(openStore(`sqlite:${join(folder, 'not-a-folder', 'queue.db')}`)).rejects.toThrow(
        /^cannot open the store at sqlite:.*not-a-folder\/queue\.db: /,
      );
      writeFileSync(join(folder, 'garbage.db'), 'this is not a database, just text long enough to have a header');
      await expect(openStore(`sqlite:${join(folder, 'garbage.db')}`)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('passes the rest of a PostgreSQL URL to the driver without the schema', () => {
    expect(parsePostgresUrl('postgres://u:p@db:5432/q?schema=school_a&sslmode=require')).toEqual({
      connectionString: 'postgres://u:p@db:5432/q?sslmode=require',
      schema: 'school_a',
    });
  });
});
