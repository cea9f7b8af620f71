// A hold is on disk when putHold resolves: a process that holds a message and is then killed outright loses nothing.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withPostgresStorage, withSqliteStorage } from './test-databases.js';
import { openStore } from '../../../src/gateway/open-store.js';

const viteNode = fileURLToPath(new URL('../../../node_modules/.bin/vite-node', import.meta.url));
const child = fileURLToPath(new URL('./write-then-die.ts', import.meta.url));

function writeThenDie(storage: string): Promise<{ id: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const process = spawn(viteNode, [child, storage], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    process.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    process.on('error', reject);
    process.on('exit', (_code, signal) => resolve({ id: out.trim(), signal }));
  });
}

async function survivesKill(storage: string): Promise<void> {
  const { id, signal } = await writeThenDie(storage);
  expect(signal).toBe('SIGKILL');
  expect(id).toMatch(/^[0-9A-Z]{9}-[0-9A-Z]{6}$/);
  const store = await openStore(storage);
  try {
    expect((await store.getHold(id))?.subject).toBe('Written just before a crash');
    expect((await store.getRaw(id))?.toString()).toContain('Subject: Written just before a crash');
    expect((await store.listAudit({ holdId: id })).map((e) => e.action)).toEqual(['hold.created']);
  } finally {
    await store.close();
  }
}

describe('hold durability', () => {
  it('keeps a hold written by a SQLite process that was killed straight after', async () => {
    await withSqliteStorage('durable', survivesKill, join('nested', 'chaperone.db'));
  });

  const pg = process.env.CHAPERONE_TEST_PG;
  it.skipIf(pg === undefined)(
    'keeps a hold written by a PostgreSQL process that was killed straight after (needs CHAPERONE_TEST_PG)',
    async () => {
      await withPostgresStorage(pg!, `chaperone_test_durable_${process.pid}`, survivesKill);
    },
  );
});
