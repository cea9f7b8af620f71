// The audit log as a safeguarding auditor relies on it: every look at held mail (page, original, command line), every
// decision, feedback, sign-in (good or bad), sign-out and user change is an entry with who, when, what and from where.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as queueCommand } from '../../src/cli/commands/queue.js';
import type { StoredAuditEntry } from '../../src/gateway/hold-store.js';
import {
  addUser,
  attemptLogin,
  get,
  post,
  putPhoneHold,
  signIn,
  startHarness,
  type Harness,
  type SignedIn,
} from '../gateway/review/fixtures.js';

let h: Harness;
let dsl: SignedIn;
let admin: SignedIn;

beforeAll(async () => {
  h = await startHarness();
  await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
  await addUser(h.store, 'admin@oakfield.sch.uk', ['admin']);
  dsl = await signIn(h.app, 'dsl@oakfield.sch.uk');
  admin = await signIn(h.app, 'admin@oakfield.sch.uk');
});
afterAll(async () => h.close());

async function newestEntries(since: number): Promise<StoredAuditEntry[]> {
  return (await h.store.listAudit({ limit: 1000 })).filter((e) => e.seq > since);
}

async function lastSeq(): Promise<number> {
  return (await h.store.listAudit({ limit: 1 }))[0]?.seq ?? 0;
}

function expectComplete(entry: StoredAuditEntry | undefined, action: string, actor: string, holdId?: string): void {
  expect(entry, action).toBeDefined();
  expect(entry?.action).toBe(action);
  expect(entry?.actor).toBe(actor);
  expect(entry?.at.getTime()).toBeGreaterThan(Date.now() - 60_000);
  expect(entry?.remoteAddress, `${action} has no remote address`).toMatch(/\S/);
  if (holdId) expect(entry?.holdId).toBe(holdId);
}

describe('every look at held mail is audited', () => {
  it('records opening the message page and downloading the original, with the address they came from', async () => {
    const hold = await putPhoneHold(h.store);
    const since = await lastSeq();
    await h.app.inject({
      method: 'GET',
      url: `/holds/${hold.id}`,
      headers: { cookie: dsl.cookie },
      remoteAddress: '10.20.30.40',
    });
    await h.app.inject({
      method: 'GET',
      url: `/holds/${hold.id}/raw`,
      headers: { cookie: dsl.cookie },
      remoteAddress: '10.20.30.41',
    });
    const [download, view] = await newestEntries(since);
    expectComplete(view, 'hold.viewed', 'dsl@oakfield.sch.uk', hold.id);
    expect(view?.remoteAddress).toBe('10.20.30.40');
    expectComplete(download, 'hold.downloaded', 'dsl@oakfield.sch.uk', hold.id);
    expect(download?.remoteAddress).toBe('10.20.30.41');
  });

  it('records `chaperone queue show` and `list` as the command-line user, from the SSH client address', async () => {
    const hold = await putPhoneHold(h.store);
    const config = join(h.dir, 'chaperone.yaml');
    writeFileSync(config, `storage: ${h.config.storage}\nupstream: dir:${h.outbox}\n`);
    const since = await lastSeq();
    const quiet = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.stubEnv('SSH_CLIENT', '192.0.2.55 50022 22');
    try {
      expect(await queueCommand(['show', hold.id, '--config', config])).toBe(0);
      expect(await queueCommand(['list', '--config', config])).toBe(0);
    } finally {
      quiet.mockRestore();
      vi.unstubAllEnvs();
    }
    const [listed, shown] = await newestEntries(since);
    expect(shown?.actor).toMatch(/^cli:/);
    expectComplete(shown, 'hold.viewed', shown?.actor ?? '', hold.id);
    expect(shown?.remoteAddress).toBe('192.0.2.55');
    expectComplete(listed, 'queue.listed', shown?.actor ?? '');
  });
});

describe('every change is audited', () => {
  it('records feedback and each decision with the reviewer and their address', async () => {
    const released = await putPhoneHold(h.store);
    const rejected = await putPhoneHold(h.store);
    const escalated = await putPhoneHold(h.store);
    const since = await lastSeq();
    await post(h.app, dsl, `/holds/${released.id}/findings/1/not-a-concern`);
    await post(h.app, dsl, `/holds/${released.id}/release`);
    await post(h.app, dsl, `/holds/${rejected.id}/reject`, { reason: 'inappropriate' });
    await post(h.app, dsl, `/holds/${escalated.id}/escalate`, { reason: 'to the LADO' });
    const entries = (await newestEntries(since)).reverse();
    const find = (action: string, id: string) => entries.find((e) => e.action === action && e.holdId === id);
    expectComplete(find('finding.feedback', released.id), 'finding.feedback', 'dsl@oakfield.sch.uk', released.id);
    expectComplete(find('hold.released', released.id), 'hold.released', 'dsl@oakfield.sch.uk', released.id);
    expectComplete(find('hold.delivered', released.id), 'hold.delivered', 'dsl@oakfield.sch.uk', released.id);
    expectComplete(find('hold.rejected', rejected.id), 'hold.rejected', 'dsl@oakfield.sch.uk', rejected.id);
    expect(find('hold.rejected', rejected.id)?.detail?.reason).toBe('inappropriate');
    expectComplete(find('hold.escalated', escalated.id), 'hold.escalated', 'dsl@oakfield.sch.uk', escalated.id);
  });

  it('records sign-in, a failed sign-in, sign-out, and adding, disabling and enabling a user', async () => {
    const since = await lastSeq();
    await attemptLogin(h.app, 'dsl@oakfield.sch.uk', 'wrong password here');
    await attemptLogin(h.app, 'nobody@oakfield.sch.uk', 'wrong password here');
    const me = await signIn(h.app, 'dsl@oakfield.sch.uk');
    await post(h.app, me, '/logout');
    await post(h.app, admin, '/admin/users', {
      email: 'new.dsl@oakfield.sch.uk',
      roles: 'dsl',
      password: 'a long first password',
    });
    await post(h.app, admin, '/admin/users/disable', { email: 'new.dsl@oakfield.sch.uk' });
    await post(h.app, admin, '/admin/users/enable', { email: 'new.dsl@oakfield.sch.uk' });
    const entries = (await newestEntries(since)).reverse();
    const actions = entries.map((e) => `${e.action} ${e.actor}`);
    expect(actions).toEqual([
      'login.failed dsl@oakfield.sch.uk',
      'login.failed nobody@oakfield.sch.uk',
      'login dsl@oakfield.sch.uk',
      'logout dsl@oakfield.sch.uk',
      'user.created admin@oakfield.sch.uk',
      'user.disabled admin@oakfield.sch.uk',
      'user.enabled admin@oakfield.sch.uk',
    ]);
    for (const entry of entries) expectComplete(entry, entry.action, entry.actor);
    expect(entries.find((e) => e.action === 'user.created')?.detail).toMatchObject({
      email: 'new.dsl@oakfield.sch.uk',
      roles: ['dsl'],
    });
    // The password is never in the record.
    expect(JSON.stringify(entries)).not.toContain('a long first password');
    expect(JSON.stringify(entries)).not.toContain('wrong password here');
  });

  it('shows the audit log only to readers of held mail, never to an admin-only account', async () => {
    expect((await get(h.app, admin, '/audit')).statusCode).toBe(403);
    expect((await get(h.app, dsl, '/audit')).statusCode).toBe(200);
  });
});
