import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_ATTEMPTS_PER_MINUTE, MAX_FAILED_LOGINS } from '../../../src/gateway/review/auth-routes.js';
import { addUser, attemptLogin, get, post, putPhoneHold, signIn, startHarness, type Harness } from './fixtures.js';

let h: Harness;
let holdId: string;

beforeAll(async () => {
  h = await startHarness();
  await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
  await addUser(h.store, 'locked@oakfield.sch.uk', ['dsl']);
  holdId = (await putPhoneHold(h.store)).id;
});
afterAll(async () => h.close());

describe('without signing in', () => {
  it.each(['/', '/audit', '/admin', `/holds/HOLDID`])('redirects the page %s to /login', async (path) => {
    const response = await get(h.app, undefined, path.replace('HOLDID', holdId));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/login\?next=/);
  });

  it('answers 401 to anything that is not a page', async () => {
    for (const request of [
      { method: 'POST' as const, url: `/holds/${holdId}/release` },
      { method: 'POST' as const, url: `/holds/${holdId}/findings/1/not-a-concern` },
      { method: 'POST' as const, url: '/admin/users' },
      { method: 'GET' as const, url: '/api/summary' },
      { method: 'GET' as const, url: `/holds/${holdId}/raw` },
    ]) {
      const response = await h.app.inject({ ...request, payload: request.method === 'POST' ? {} : undefined });
      expect(response.statusCode, request.url).toBe(401);
      expect(response.body).not.toContain('07700');
    }
    expect((await h.store.getHold(holdId))?.state).toBe('held');
  });

  it('serves the sign-in page and the stylesheet', async () => {
    expect((await get(h.app, undefined, '/login')).statusCode).toBe(200);
    expect((await get(h.app, undefined, '/static/app.css')).statusCode).toBe(200);
  });
});

describe('signing in', () => {
  it('signs in with the right password, audits it and sets a strict, HTTP-only session cookie', async () => {
    const response = await attemptLogin(h.app, 'DSL@oakfield.sch.uk', 'correct horse battery staple');
    expect(response.statusCode).toBe(303);
    const cookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('chaperone='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const audit = await h.store.listAudit({ actor: 'dsl@oakfield.sch.uk' });
    expect(audit.some((e) => e.action === 'login' && e.remoteAddress)).toBe(true);
  });

  it('refuses a wrong password and audits the failure', async () => {
    const response = await attemptLogin(h.app, 'dsl@oakfield.sch.uk', 'not the password');
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('did not sign you in');
    const audit = await h.store.listAudit({ actor: 'dsl@oakfield.sch.uk' });
    expect(audit[0]?.action).toBe('login.failed');
  });

  it('refuses a sign-in form posted without its CSRF token', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 'dsl@oakfield.sch.uk', password: 'correct horse battery staple' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['set-cookie']?.toString() ?? '').not.toMatch(/chaperone=/);
  });

  it(`locks the account after ${MAX_FAILED_LOGINS} failed sign-ins, even against the right password, and audits it`, async () => {
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) {
      expect((await attemptLogin(h.app, 'locked@oakfield.sch.uk', `wrong ${i}`)).statusCode).toBe(401);
    }
    const locking = await attemptLogin(h.app, 'locked@oakfield.sch.uk', 'wrong again');
    // The same answer as any failed sign-in: a different one would tell a stranger the account exists.
    expect(locking.statusCode).toBe(401);
    const user = await h.store.getUser('locked@oakfield.sch.uk');
    expect(user?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    const right = await attemptLogin(h.app, 'locked@oakfield.sch.uk', 'correct horse battery staple');
    expect(right.statusCode).toBe(401);
    expect(right.body).toContain('locked');
    expect(right.headers['set-cookie']?.toString() ?? '').not.toMatch(/chaperone=/);
    const actions = (await h.store.listAudit({ actor: 'locked@oakfield.sch.uk' })).map((e) => e.action);
    expect(actions).toContain('login.locked');
  });

  it('lets a locked user in again once the lock has expired', async () => {
    h.clock.now = new Date(Date.now() + 16 * 60_000);
    try {
      expect((await attemptLogin(h.app, 'locked@oakfield.sch.uk', 'correct horse battery staple')).statusCode).toBe(
        303,
      );
    } finally {
      h.clock.now = new Date();
    }
  });

  it(`answers 429 after ${LOGIN_ATTEMPTS_PER_MINUTE} sign-in attempts a minute from one address`, async () => {
    const attempt = () =>
      h.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '192.0.2.7',
        payload: { email: 'x@y.z', password: 'p' },
      });
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) expect((await attempt()).statusCode).toBe(403);
    expect((await attempt()).statusCode).toBe(429);
  });

  it('never follows a sign-in redirect to another site', async () => {
    const form = await h.app.inject({ method: 'GET', url: '/login?next=//evil.example/' });
    expect(form.body).toContain('name="next" value="/"');
  });

  it('ends the session on sign-out', async () => {
    const me = await signIn(h.app, 'dsl@oakfield.sch.uk');
    expect((await get(h.app, me, '/')).statusCode).toBe(200);
    expect((await post(h.app, me, '/logout')).statusCode).toBe(303);
    expect((await get(h.app, me, '/')).statusCode).toBe(303);
  });

  it('expires a session after review.sessionHours', async () => {
    const me = await signIn(h.app, 'dsl@oakfield.sch.uk');
    h.clock.now = new Date(Date.now() + (h.config.review.sessionHours + 1) * 3_600_000);
    try {
      expect((await get(h.app, me, '/')).statusCode).toBe(303);
    } finally {
      h.clock.now = new Date();
    }
  });
});

describe('CSRF protection', () => {
  it('refuses a decision posted without the CSRF token, and changes nothing', async () => {
    const me = await signIn(h.app, 'dsl@oakfield.sch.uk');
    const response = await h.app.inject({
      method: 'POST',
      url: `/holds/${holdId}/release`,
      headers: { cookie: me.cookie },
      payload: {},
    });
    expect(response.statusCode).toBe(403);
    expect((await h.store.getHold(holdId))?.state).toBe('held');
  });

  it('refuses a decision posted with a wrong CSRF token, and changes nothing', async () => {
    const me = await signIn(h.app, 'dsl@oakfield.sch.uk');
    const other = await signIn(h.app, 'dsl@oakfield.sch.uk');
    const response = await post(h.app, { cookie: me.cookie, csrf: other.csrf }, `/holds/${holdId}/release`);
    expect(response.statusCode).toBe(403);
    expect((await h.store.getHold(holdId))?.state).toBe('held');
  });
});

describe('security headers', () => {
  it('sends a strict content security policy with no script allowed, and no-store on signed-in pages', async () => {
    const me = await signIn(h.app, 'dsl@oakfield.sch.uk');
    const response = await get(h.app, me, `/holds/${holdId}`);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).not.toMatch(/<script/i);
  });
});
