// Who the audit log says ran a command: the login name, and the person behind `sudo -u chaperone` when there is one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/gateway/sqlite-store.js';
import { makeHold } from '../gateway/store/fixtures.js';
import { chaperone, ensureBuilt } from './chaperone-process.js';

const login = userInfo().username;
let folder: string;
let config: string;
let store: SqliteStore;

beforeAll(() => ensureBuilt());

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'chaperone-cli-actor-'));
  config = join(folder, 'chaperone.yaml');
  writeFileSync(config, 'storage: sqlite:./data/chaperone.db\nupstream: dir:./data/outbox\n');
  mkdirSync(join(folder, 'data'));
  store = new SqliteStore(join(folder, 'data', 'chaperone.db'));
  await store.init();
});
afterEach(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

async function showAs(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const hold = makeHold({ subject: 'Revision' });
  await store.putHold(hold);
  const result = await chaperone(['queue', 'show', hold.id, '--config', config], { env });
  expect(result.code, result.stderr).toBe(0);
  return (await store.listAudit({ holdId: hold.id })).find((e) => e.action === 'hold.viewed')?.actor;
}

describe('the audit actor of a command-line action', () => {
  it('records the person behind sudo and the account it ran as', async () => {
    const person = login === 'alice' ? 'bob' : 'alice';
    expect(await showAs({ SUDO_USER: person })).toBe(`cli:${person} (as ${login})`);
  });

  it('records the login name alone without sudo, or when sudo ran it as the same person', async () => {
    expect(await showAs({ SUDO_USER: undefined, DOAS_USER: undefined })).toBe(`cli:${login}`);
    expect(await showAs({ SUDO_USER: login })).toBe(`cli:${login}`);
  });

  it('ignores a SUDO_USER that is not a login name rather than writing it into the record', async () => {
    expect(await showAs({ SUDO_USER: 'alice\nforged entry' })).toBe(`cli:${login}`);
  });

  it("does not list 'your own message' among the refusals in queue --help: the command line has no e-mail identity", async () => {
    const help = await chaperone(['queue', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).not.toMatch(/own message/);
    expect(help.stdout).toMatch(/cli:<you> \(as <account>\)/);
  });
});
