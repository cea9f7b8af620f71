// `chaperone users` as an administrator runs it: the built command against a real SQLite store.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/gateway/passwords.js';
import { SqliteStore } from '../../src/gateway/sqlite-store.js';
import { runCli } from '../gateway/store/run-cli.js';

let folder: string;
let config: string;
let store: SqliteStore;
const actor = `cli:${userInfo().username}`;
const password = 'correct horse battery staple';

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'chaperone-users-cli-'));
  config = join(folder, 'chaperone.yaml');
  writeFileSync(config, 'storage: sqlite:./data/chaperone.db\nupstream: dir:./outbox\n');
  mkdirSync(join(folder, 'data'));
  store = new SqliteStore(join(folder, 'data', 'chaperone.db'));
  await store.init();
});
afterEach(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

const users = (args: string[], input?: string) => runCli(['users', ...args, '--config', config], input);

describe('chaperone users', () => {
  it('adds a user with the password from standard input, hashed, and audits it', async () => {
    const result = await users(
      ['add', 'DSL@Oakfield.sch.uk', '--role', 'dsl', '--role', 'admin', '--password-stdin'],
      `${password}\n`,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const user = await store.getUser('dsl@oakfield.sch.uk');
    expect(user).toMatchObject({
      email: 'dsl@oakfield.sch.uk',
      roles: ['dsl', 'admin'],
      disabled: false,
      failedLogins: 0,
    });
    expect(user!.passwordHash).not.toContain(password);
    expect(await verifyPassword(password, user!.passwordHash)).toBe(true);
    expect((await store.listAudit({ actor }))[0]).toMatchObject({
      action: 'user.created',
      detail: { user: 'dsl@oakfield.sch.uk', roles: ['dsl', 'admin'] },
    });
  });

  it('refuses a short password, an unknown role, or no terminal to ask on, adding nobody', async () => {
    const short = await users(['add', 'dsl@oakfield.sch.uk', '--role', 'dsl', '--password-stdin'], 'too short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 12 characters');
    const role = await users(
      ['add', 'dsl@oakfield.sch.uk', '--role', 'headteacher', '--password-stdin'],
      `${password}\n`,
    );
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--role must be one of dsl, admin, auditor');
    const noTty = await users(['add', 'dsl@oakfield.sch.uk', '--role', 'dsl']);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('--password-stdin');
    expect(await store.listUsers()).toEqual([]);
  });

  it('refuses to add a user twice', async () => {
    await users(['add', 'dsl@oakfield.sch.uk', '--role', 'dsl', '--password-stdin'], `${password}\n`);
    const again = await users(['add', 'DSL@oakfield.sch.uk', '--role', 'admin', '--password-stdin'], `${password}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already a user');
  });

  it('changes roles, disables, enables, unlocks and resets passwords, auditing each', async () => {
    await users(['add', 'dsl@oakfield.sch.uk', '--role', 'dsl', '--password-stdin'], `${password}\n`);
    await store.updateUser('dsl@oakfield.sch.uk', { failedLogins: 5, lockedUntil: new Date(Date.now() + 3_600_000) });

    expect((await users(['set-roles', 'dsl@oakfield.sch.uk', '--role', 'auditor'])).code).toBe(0);
    expect((await store.getUser('dsl@oakfield.sch.uk'))?.roles).toEqual(['auditor']);
    expect((await users(['unlock', 'dsl@oakfield.sch.uk'])).code).toBe(0);
    const unlocked = await store.getUser('dsl@oakfield.sch.uk');
    expect(unlocked?.failedLogins).toBe(0);
    expect(unlocked?.lockedUntil).toBeUndefined();
    expect((await users(['disable', 'dsl@oakfield.sch.uk'])).code).toBe(0);
    expect((await store.getUser('dsl@oakfield.sch.uk'))?.disabled).toBe(true);
    expect((await users(['enable', 'dsl@oakfield.sch.uk'])).code).toBe(0);
    expect((await store.getUser('dsl@oakfield.sch.uk'))?.disabled).toBe(false);
    const newPassword = 'a different long passphrase';
    expect(
      (await users(['reset-password', 'dsl@oakfield.sch.uk', '--password-stdin'], `${newPassword}\r\n`)).code,
    ).toBe(0);
    expect(await verifyPassword(newPassword, (await store.getUser('dsl@oakfield.sch.uk'))!.passwordHash)).toBe(true);

    const actions = (await store.listAudit({ actor })).map((e) => e.action).reverse();
    expect(actions).toEqual([
      'user.created',
      'user.roles-changed',
      'user.unlocked',
      'user.disabled',
      'user.enabled',
      'user.password-reset',
    ]);
    const missing = await users(['disable', 'nobody@oakfield.sch.uk']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no user has the address nobody@oakfield.sch.uk');
  });

  it('lists users as JSON and as a table', async () => {
    await users(['add', 'dsl@oakfield.sch.uk', '--role', 'dsl', '--password-stdin'], `${password}\n`);
    await users(['add', 'audit@oakfield.sch.uk', '--role', 'auditor', '--password-stdin'], `${password}\n`);
    await users(['disable', 'audit@oakfield.sch.uk']);
    const json = await users(['list', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject([
      { email: 'audit@oakfield.sch.uk', roles: ['auditor'], status: 'disabled' },
      { email: 'dsl@oakfield.sch.uk', roles: ['dsl'], status: 'active', failedLogins: 0 },
    ]);
    const text = await users(['list']);
    expect(text.stdout).toMatch(/^EMAIL\s+ROLES\s+STATUS\s+ADDED\n/);
    expect(text.stdout).toMatch(/audit@oakfield\.sch\.uk\s+auditor\s+disabled/);
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    'asks for the password twice on a terminal without showing it (needs util-linux script for a terminal)',
    async () => {
      const bin = fileURLToPath(new URL('../../bin/chaperone.js', import.meta.url));
      const command = [
        process.execPath,
        bin,
        'users',
        'add',
        'dsl@oakfield.sch.uk',
        '--role',
        'dsl',
        '--config',
        config,
      ];
      const child = spawn('/usr/bin/script', ['-qec', command.map((a) => `'${a}'`).join(' '), '/dev/null'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      const answered = new Set<string>();
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        for (const prompt of ['New password:', 'Type it again:']) {
          if (screen.includes(prompt) && !answered.has(prompt)) {
            answered.add(prompt);
            child.stdin.write(`${password}\r`);
          }
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(screen).toContain('Added dsl@oakfield.sch.uk (dsl).');
      expect(screen).not.toContain(password);
      expect(await verifyPassword(password, (await store.getUser('dsl@oakfield.sch.uk'))!.passwordHash)).toBe(true);
    },
  );

  it('prints a password hash for SMTP users in the configuration', async () => {
    const result = await runCli(['users', 'hash', '--password-stdin'], `${password}\n`);
    expect(result.code).toBe(0);
    expect(await verifyPassword(password, result.stdout.trim())).toBe(true);
  });
});
