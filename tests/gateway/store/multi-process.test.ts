// Several processes (relays, review apps, the CLI) deciding on the same queue at the same moment: each held message
// is decided exactly once, and every other attempt is told it lost.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withPostgresStorage, withSqliteStorage } from './test-databases.js';
import { openStore } from '../../../src/gateway/open-store.js';
import { makeHold } from './fixtures.js';

const viteNode = fileURLToPath(new URL('../../../node_modules/.bin/vite-node', import.meta.url));
const child = fileURLToPath(new URL('./decide-race.ts', import.meta.url));
const PROCESSES = 3;
const HOLDS = 25;

function race(storage: string, ids: string[], actor: string, startAt: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const process = spawn(viteNode, [child, storage, ids.join(','), actor, String(startAt)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    process.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    process.on('error', reject);
    process.on('exit', (code) =>
      code === 0 ? resolve(out.trim().split('\n')) : reject(new Error(`race child exited ${code}`)),
    );
  });
}

async function decidesEachOnce(storage: string): Promise<void> {
  const store = await openStore(storage);
  try {
    const ids: string[] = [];
    for (let i = 0; i < HOLDS; i++) {
      const hold = makeHold();
      await store.putHold(hold);
      ids.push(hold.id);
    }
    // Children start together once all have loaded; each walks the ids in a different order to collide more.
    const startAt = Date.now() + 2500;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, n) =>
        race(storage, n % 2 === 0 ? ids : [...ids].reverse(), `reviewer-${n}@x`, startAt),
      ),
    );
    const lines = results.flat();
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
    for (const id of ids) {
      expect(lines.filter((l) => l === `won ${id}`)).toHaveLength(1);
      expect(lines.filter((l) => l === `lost ${id}`)).toHaveLength(PROCESSES - 1);
      const item = await store.getHold(id);
      const winner = results.findIndex((r) => r.includes(`won ${id}`));
      expect(item?.decidedBy).toBe(`reviewer-${winner}@x`);
    }
  } finally {
    await store.close();
  }
}

describe('deciding from several processes at once', () => {
  it('decides each held message exactly once in a shared SQLite file', async () => {
    await withSqliteStorage('race', decidesEachOnce);
  });

  const pg = process.env.CHAPERONE_TEST_PG;
  it.skipIf(pg === undefined)(
    'decides each held message exactly once in a shared PostgreSQL queue (needs CHAPERONE_TEST_PG)',
    async () => {
      await withPostgresStorage(pg!, `chaperone_test_race_${process.pid}`, decidesEachOnce);
    },
  );
});
