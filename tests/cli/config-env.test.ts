// Every command that takes --config also reads CHAPERONE_CONFIG, so an administrator who sets it once cannot add a
// user to, or release from, the sample database by forgetting --config; and falling back to the sample is said.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/gateway/sqlite-store.js';
import { chaperone, ensureBuilt, ROOT } from './chaperone-process.js';

const PASSWORD = 'correct horse battery staple';
let folder: string;
let config: string;

beforeAll(() => ensureBuilt());

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'chaperone-config-env-'));
  config = join(folder, 'chaperone.yaml');
  writeFileSync(config, 'storage: sqlite:./data/chaperone.db\nupstream: dir:./data/outbox\n');
  mkdirSync(join(folder, 'data'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

async function usersIn(file: string): Promise<string[]> {
  const store = new SqliteStore(file);
  await store.init();
  try {
    return (await store.listUsers()).map((u) => u.email);
  } finally {
    await store.close();
  }
}

describe('CHAPERONE_CONFIG', () => {
  it('is the configuration `users add` writes to when --config is not given, with no note about the sample', async () => {
    const result = await chaperone(['users', 'add', 'dsl@oakfield.sch.uk', '--role', 'dsl', '--password-stdin'], {
      input: `${PASSWORD}\n`,
      env: { CHAPERONE_CONFIG: config },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await usersIn(join(folder, 'data', 'chaperone.db'))).toEqual(['dsl@oakfield.sch.uk']);
  });

  it('is used by `queue list`, and --config still wins over it', async () => {
    const viaEnv = await chaperone(['queue', 'list'], { env: { CHAPERONE_CONFIG: config } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(viaEnv.stderr).toBe('');
    const broken = join(folder, 'broken.yaml');
    writeFileSync(broken, 'storage: nowhere:at-all\n');
    const viaOption = await chaperone(['queue', 'list', '--config', config], { env: { CHAPERONE_CONFIG: broken } });
    expect(viaOption.code, viaOption.stderr).toBe(0);
  });

  it('is read by serve, check and rules too (a broken file named there is the one reported)', async () => {
    const broken = join(folder, 'broken.yaml');
    writeFileSync(broken, 'smtp:\n  maxSise: 10\n');
    for (const args of [
      ['serve', '--no-watch'],
      ['check', '-'],
      ['rules', 'list'],
    ]) {
      const result = await chaperone(args, { env: { CHAPERONE_CONFIG: broken }, input: 'hello' });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(`${broken}:2:3: smtp.maxSise: unknown key "maxSise"`);
    }
  });

  it('says on standard error when `users` and `queue` fall back to the sample configuration', async () => {
    for (const command of ['users', 'queue']) {
      const result = await chaperone([command, 'list'], { env: { CHAPERONE_CONFIG: undefined } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(
        `chaperone ${command}: note: using the sample configuration ${join(ROOT, 'config', 'default.yaml')}`,
      );
      expect(result.stderr).toContain('because neither --config nor CHAPERONE_CONFIG names one');
    }
  });
});
