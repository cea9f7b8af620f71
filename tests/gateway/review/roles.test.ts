import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, get, post, putPhoneHold, signIn, startHarness, type Harness, type SignedIn } from './fixtures.js';

let h: Harness;
let admin: SignedIn;
let auditor: SignedIn;
let dsl: SignedIn;
let holdId: string;

beforeAll(async () => {
  h = await startHarness();
  await addUser(h.store, 'admin@oakfield.sch.uk', ['admin']);
  await addUser(h.store, 'auditor@oakfield.sch.uk', ['auditor']);
  await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
  admin = await signIn(h.app, 'admin@oakfield.sch.uk');
  auditor = await signIn(h.app, 'auditor@oakfield.sch.uk');
  dsl = await signIn(h.app, 'dsl@oakfield.sch.uk');
  holdId = (await putPhoneHold(h.store)).id;
});
afterAll(async () => h.close());

describe('an admin (without the dsl role)', () => {
  it('cannot read held mail: the message view and its download are refused and the queue sends them to admin', async () => {
    const view = await get(h.app, admin, `/holds/${holdId}`);
    expect(view.statusCode).toBe(403);
    expect(view.body).not.toContain('07700');
    expect((await get(h.app, admin, `/holds/${holdId}/raw`)).statusCode).toBe(403);
    const queue = await get(h.app, admin, '/');
    expect(queue.statusCode).toBe(303);
    expect(queue.headers.location).toBe('/admin');
    expect((await get(h.app, admin, '/api/summary')).statusCode).toBe(403);
  });

  it('cannot decide', async () => {
    expect((await post(h.app, admin, `/holds/${holdId}/release`)).statusCode).toBe(403);
    expect((await h.store.getHold(holdId))?.state).toBe('held');
  });

  it('adds a user who can then sign in, and the addition is audited', async () => {
    const response = await post(h.app, admin, '/admin/users', {
      email: 'new.dsl@oakfield.sch.uk',
      roles: ['dsl'],
      password: 'a long enough password',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Added new.dsl@oakfield.sch.uk');
    expect((await h.store.getUser('new.dsl@oakfield.sch.uk'))?.roles).toEqual(['dsl']);
    await signIn(h.app, 'new.dsl@oakfield.sch.uk', 'a long enough password');
    expect((await h.store.listAudit({ actor: 'admin@oakfield.sch.uk' })).map((e) => e.action)).toContain(
      'user.created',
    );
  });

  it('refuses a short password for a new user', async () => {
    const response = await post(h.app, admin, '/admin/users', {
      email: 'x@oakfield.sch.uk',
      roles: ['dsl'],
      password: 'short',
    });
    expect(response.statusCode).toBe(400);
    expect(await h.store.getUser('x@oakfield.sch.uk')).toBeUndefined();
  });

  it('disables a user, whose open session stops working at once', async () => {
    await addUser(h.store, 'leaver@oakfield.sch.uk', ['dsl']);
    const leaver = await signIn(h.app, 'leaver@oakfield.sch.uk');
    await post(h.app, admin, '/admin/users/disable', { email: 'leaver@oakfield.sch.uk' });
    expect((await h.store.getUser('leaver@oakfield.sch.uk'))?.disabled).toBe(true);
    expect((await get(h.app, leaver, '/')).statusCode).toBe(303);
  });

  it('enables a disabled user again, clearing any lock, and audits both changes', async () => {
    await h.store.updateUser('leaver@oakfield.sch.uk', {
      lockedUntil: new Date(Date.now() + 3_600_000),
      failedLogins: 3,
    });
    await post(h.app, admin, '/admin/users/enable', { email: 'leaver@oakfield.sch.uk' });
    const user = await h.store.getUser('leaver@oakfield.sch.uk');
    expect(user).toMatchObject({ disabled: false, failedLogins: 0 });
    expect(user?.lockedUntil).toBeUndefined();
    await signIn(h.app, 'leaver@oakfield.sch.uk');
    const actions = (await h.store.listAudit({ actor: 'admin@oakfield.sch.uk' })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']));
  });

  it('cannot disable their own account', async () => {
    const response = await post(h.app, admin, '/admin/users/disable', { email: 'admin@oakfield.sch.uk' });
    expect(response.statusCode).toBe(400);
    expect((await h.store.getUser('admin@oakfield.sch.uk'))?.disabled).toBe(false);
  });
});

describe('an auditor', () => {
  it('reads held mail and the audit log, but sees no decision buttons', async () => {
    const view = await get(h.app, auditor, `/holds/${holdId}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('07700 900123');
    expect(view.body).not.toContain(`action="/holds/${holdId}/release"`);
    expect(view.body).toContain('read-only');
    const audit = await get(h.app, auditor, `/audit?hold=${holdId}`);
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('Message opened');
  });

  it('cannot decide or give feedback', async () => {
    for (const action of ['release', 'reject', 'escalate', 'findings/1/not-a-concern']) {
      expect((await post(h.app, auditor, `/holds/${holdId}/${action}`, { reason: 'x' })).statusCode, action).toBe(403);
    }
    expect((await h.store.getHold(holdId))?.state).toBe('held');
  });

  it('cannot open the administration page', async () => {
    expect((await get(h.app, auditor, '/admin')).statusCode).toBe(403);
    expect(
      (
        await post(h.app, auditor, '/admin/users', {
          email: 'y@oakfield.sch.uk',
          roles: ['admin'],
          password: 'long enough password',
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('health check', () => {
  it('answers ok without signing in, and shows nothing else', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('ok');
  });
});

describe('a DSL', () => {
  it('sees the queue with the held message and the dashboard counts', async () => {
    const queue = await get(h.app, dsl, '/');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(`/holds/${holdId}`);
    expect(queue.body).toContain('waiting for a decision');
    expect(queue.body).toContain('pupil');
    const summary = await h.app.inject({ method: 'GET', url: '/api/summary', headers: { cookie: dsl.cookie } });
    expect(JSON.parse(summary.body)).toMatchObject({ heldNow: 1, overdue: 0 });
  });

  it('cannot open the administration page', async () => {
    expect((await get(h.app, dsl, '/admin')).statusCode).toBe(403);
  });
});
