// Signing in as an attacker would try it: telling real accounts from unknown ones (by message, status or time),
// getting round the lock-out (address variants, many attempts at once), fixing a session, reusing one after sign-out
// or after the account was disabled, and bouncing a DSL to another site after sign-in.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILED_LOGINS } from '../../src/gateway/review/auth-routes.js';
import {
  addUser,
  attemptLogin,
  get,
  post,
  PASSWORD,
  signIn,
  startHarness,
  type Harness,
} from '../gateway/review/fixtures.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const name of ['dsl', 'victim', 'locked', 'racer', 'variant', 'fixed', 'sleeper'])
    await addUser(h.store, `${name}@oakfield.sch.uk`, ['dsl']);
  await addUser(h.store, 'admin@oakfield.sch.uk', ['admin']);
});
afterAll(async () => h.close());

function sessionCookie(setCookie: string | string[] | undefined): string | undefined {
  const found = [setCookie ?? []].flat().find((c) => /^(__Host-)?chaperone=/.test(c));
  return found?.split(';')[0];
}

async function lock(email: string): Promise<void> {
  for (let i = 0; i < MAX_FAILED_LOGINS; i++) await attemptLogin(h.app, email, `wrong password ${i}`);
  expect((await h.store.getUser(email))?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timed(email: string, password: string): Promise<{ ms: number; status: number; body: string }> {
  const start = performance.now();
  const response = await attemptLogin(h.app, email, password);
  return { ms: performance.now() - start, status: response.statusCode, body: response.body };
}

/** The notice a failed sign-in shows, without the form (whose token differs each time). */
function notice(body: string): string {
  return /role="alert">([\s\S]*?)<\/div>/.exec(body)?.[1]?.trim() ?? '';
}

describe('no user enumeration', () => {
  it('answers an unknown address, a wrong password and a locked account with the same status and words', async () => {
    await lock('locked@oakfield.sch.uk');
    const unknown = await timed('nobody@oakfield.sch.uk', 'some password here');
    const wrong = await timed('victim@oakfield.sch.uk', 'some password here');
    const locked = await timed('locked@oakfield.sch.uk', 'some password here');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(locked.status).toBe(401);
    expect(notice(wrong.body)).toBe(notice(unknown.body));
    expect(notice(locked.body)).toBe(notice(unknown.body));
    // The words still tell a locked-out DSL what to do.
    expect(notice(unknown.body)).toMatch(/locked/);
  });

  it('takes about as long for an unknown address or a locked account as for a wrong password (scrypt runs every time)', async () => {
    await timed('victim@oakfield.sch.uk', 'warm up the scrypt pool');
    const runs = { unknown: [] as number[], wrong: [] as number[], locked: [] as number[] };
    for (let i = 0; i < 5; i++) {
      runs.unknown.push((await timed(`nobody${i}@oakfield.sch.uk`, 'some password here')).ms);
      runs.locked.push((await timed('locked@oakfield.sch.uk', 'some password here')).ms);
      runs.wrong.push((await timed('victim@oakfield.sch.uk', `wrong ${i}`)).ms);
      await h.store.updateUser('victim@oakfield.sch.uk', { failedLogins: 0, lockedUntil: undefined });
    }
    const wrong = median(runs.wrong);
    expect(median(runs.unknown) / wrong).toBeGreaterThan(0.5);
    expect(median(runs.unknown) / wrong).toBeLessThan(2);
    expect(median(runs.locked) / wrong).toBeGreaterThan(0.5);
    expect(median(runs.locked) / wrong).toBeLessThan(2);
  });
});

describe('the lock-out', () => {
  it('cannot be side-stepped by writing the address in another case or with spaces around it', async () => {
    const variants = [
      'variant@oakfield.sch.uk',
      'VARIANT@OAKFIELD.SCH.UK',
      ' Variant@Oakfield.sch.uk',
      'variant@oakfield.sch.uk\t',
      '\u00a0variant@oakfield.sch.uk',
    ];
    for (const variant of variants) await attemptLogin(h.app, variant, 'not the password');
    const user = await h.store.getUser('variant@oakfield.sch.uk');
    expect(user?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    expect((await attemptLogin(h.app, 'variant@oakfield.sch.uk', PASSWORD)).statusCode).toBe(401);
  });

  it('counts every one of many wrong passwords sent at once, so a burst cannot outrun it', async () => {
    const burst = 2 * MAX_FAILED_LOGINS;
    await Promise.all(
      Array.from({ length: burst }, (_, i) => attemptLogin(h.app, 'racer@oakfield.sch.uk', `guess ${i}`)),
    );
    const user = await h.store.getUser('racer@oakfield.sch.uk');
    expect(user?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    const failures = (await h.store.listAudit({ actor: 'racer@oakfield.sch.uk' })).filter((e) =>
      ['login.failed', 'login.locked'].includes(e.action),
    );
    expect(failures).toHaveLength(burst);
  });
});

describe('sessions', () => {
  it('gives a new session at sign-in and ends the one the browser brought with it', async () => {
    const planted = await signIn(h.app, 'fixed@oakfield.sch.uk');
    const form = await h.app.inject({ method: 'GET', url: '/login', headers: { cookie: planted.cookie } });
    const loginCookie = sessionCookieOf(form.headers['set-cookie'], 'chaperone_login');
    const response = await h.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: '10.9.9.9',
      headers: { cookie: `${planted.cookie}; ${loginCookie}` },
      payload: {
        email: 'victim@oakfield.sch.uk',
        password: PASSWORD,
        _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '',
      },
    });
    expect(response.statusCode).toBe(303);
    const fresh = sessionCookie(response.headers['set-cookie']);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(planted.cookie);
    expect((await get(h.app, planted, '/')).statusCode).toBe(303);
  });

  it('refuses a session cookie replayed after sign-out', async () => {
    const me = await signIn(h.app, 'dsl@oakfield.sch.uk');
    await post(h.app, me, '/logout');
    const replay = await h.app.inject({ method: 'GET', url: '/api/summary', headers: { cookie: me.cookie } });
    expect(replay.statusCode).toBe(401);
  });

  it('does not bring back the sessions of a disabled account when an admin enables it again', async () => {
    const sleeper = await signIn(h.app, 'sleeper@oakfield.sch.uk');
    const admin = await signIn(h.app, 'admin@oakfield.sch.uk');
    await post(h.app, admin, '/admin/users/disable', { email: 'sleeper@oakfield.sch.uk' });
    expect((await get(h.app, sleeper, '/')).statusCode).toBe(303);
    await post(h.app, admin, '/admin/users/enable', { email: 'sleeper@oakfield.sch.uk' });
    expect((await get(h.app, sleeper, '/')).statusCode).toBe(303);
  });

  it('refuses an expired session and forgets it', async () => {
    const me = await signIn(h.app, 'dsl@oakfield.sch.uk');
    h.clock.now = new Date(Date.now() + h.config.review.sessionHours * 3_600_000 + 1000);
    try {
      expect((await get(h.app, me, '/')).statusCode).toBe(303);
    } finally {
      h.clock.now = new Date();
    }
    expect((await get(h.app, me, '/')).statusCode).toBe(303);
  });
});

function sessionCookieOf(setCookie: string | string[] | undefined, name: string): string {
  const found = [setCookie ?? []].flat().find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie`);
  return found.split(';')[0] as string;
}

describe('after sign-in', () => {
  it.each(['//evil.example/', '/\\evil.example/', '/\t/evil.example/', '/\n/evil.example', 'https://evil.example/'])(
    'never sends the browser to another site (next=%j)',
    async (next) => {
      const form = await h.app.inject({ method: 'GET', url: '/login' });
      const loginCookie = sessionCookieOf(form.headers['set-cookie'], 'chaperone_login');
      const response = await h.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '10.8.8.8',
        headers: { cookie: loginCookie },
        payload: {
          email: 'dsl@oakfield.sch.uk',
          password: PASSWORD,
          next,
          _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '',
        },
      });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/');
    },
  );
});

describe('cookies over HTTPS', () => {
  it('marks the session and sign-in cookies Secure and host-only, and sends HSTS, when review.secureCookies is set', async () => {
    const secure = await startHarness({ review: { secureCookies: true } });
    try {
      await addUser(secure.store, 'dsl@oakfield.sch.uk', ['dsl']);
      const form = await secure.app.inject({ method: 'GET', url: '/login' });
      const loginSet = [form.headers['set-cookie'] ?? []].flat().join('\n');
      expect(loginSet).toMatch(/^__Host-chaperone_login=[^;]+;.*Secure/);
      expect(form.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const response = await secure.app.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie: sessionCookieOf(form.headers['set-cookie'], '__Host-chaperone_login') },
        payload: {
          email: 'dsl@oakfield.sch.uk',
          password: PASSWORD,
          _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '',
        },
      });
      expect(response.statusCode).toBe(303);
      const session = [response.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('__Host-chaperone='));
      expect(session).toMatch(/; Secure/i);
      expect(session).toMatch(/; HttpOnly/i);
      expect(session).toMatch(/; SameSite=Strict/i);
      expect(session).toMatch(/; Path=\//i);
      expect(session).not.toMatch(/Domain=/i);
    } finally {
      await secure.close();
    }
  });
});
