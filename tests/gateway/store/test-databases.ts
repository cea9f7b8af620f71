// Throwaway databases for store tests: a SQLite file in a temporary folder, or a schema of its own in the
// PostgreSQL server named by CHAPERONE_TEST_PG, removed afterwards either way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Runs `use` with a `sqlite:` storage setting for a file (under `subPath`) in a fresh temporary folder. */
export async function withSqliteStorage(
  prefix: string,
  use: (storage: string) => Promise<void>,
  subPath = 'chaperone.db',
): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), `chaperone-${prefix}-`));
  try {
    await use(`sqlite:${join(folder, subPath)}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Runs `use` with a `postgres://...?schema=` storage setting naming a schema of its own, dropped afterwards. */
export async function withPostgresStorage(
  serverUrl: string,
  schema: string,
  use: (storage: string) => Promise<void>,
): Promise<void> {
  const url = new URL(serverUrl);
  url.searchParams.set('schema', schema);
  try {
    await use(url.toString());
  } finally {
    await dropSchema(serverUrl, schema);
  }
}

export async function dropSchema(serverUrl: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}
