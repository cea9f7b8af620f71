// Walks the review app's own route table: every route that is not public refuses an anonymous request, every route
// that shows or changes held mail refuses an admin-only account, admin routes refuse DSLs, decisions refuse auditors,
// and no GET changes anything but the audit log. A route added later is checked without anyone remembering to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicPath, reviewRoutes, type ReviewRoute } from '../../src/gateway/review/app.js';
import {
  addUser,
  putPhoneHold,
  signIn,
  startHarness,
  type Harness,
  type SignedIn,
} from '../gateway/review/fixtures.js';

let h: Harness;
let holdId: string;
let routes: ReviewRoute[];
const who: Record<'dsl' | 'auditor' | 'admin', SignedIn> = {} as never;
/** Words only the held message contains: if they appear in a response, content leaked. */
const SECRET = 'Marmalade-Kestrel';

/** Routes whose path starts with one of these show or change held mail or its record. */
const CONTENT_PREFIXES = ['/holds/', '/api/', '/audit'];
const ADMIN_PREFIX = '/admin';

function concrete(url: string): string {
  return url.replace(':id', holdId).replace(':n', '1');
}

function isContent(route: ReviewRoute): boolean {
  return route.url === '/' || CONTENT_PREFIXES.some((p) => route.url.startsWith(p));
}

function call(route: ReviewRoute, as?: SignedIn, payload: Record<string, string> = {}) {
  const url = concrete(route.url);
  const headers: Record<string, string> = { accept: 'text/html' };
  if (as) headers.cookie = as.cookie;
  if (route.method === 'GET' || route.method === 'HEAD') return h.app.inject({ method: route.method, url, headers });
  return h.app.inject({
    method: route.method as 'POST',
    url,
    headers,
    payload: { ...(as ? { _csrf: as.csrf } : {}), reason: 'testing access', email: 'x@oakfield.sch.uk', ...payload },
  });
}

async function snapshot() {
  const holds = await h.store.listHolds({ states: ['held', 'released', 'rejected', 'escalated'] });
  return JSON.stringify({
    holds: holds.map((i) => [i.id, i.state, i.decidedBy ?? null]),
    users: (await h.store.listUsers()).map((u) => [u.email, u.roles, u.disabled, u.failedLogins]),
    feedback: await h.store.listFeedback(holdId),
  });
}

beforeAll(async () => {
  h = await startHarness();
  holdId = (await putPhoneHold(h.store, { subject: `Trip ${SECRET}` })).id;
  await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
  await addUser(h.store, 'auditor@oakfield.sch.uk', ['auditor']);
  await addUser(h.store, 'admin@oakfield.sch.uk', ['admin']);
  await addUser(h.store, 'x@oakfield.sch.uk', ['dsl']);
  who.dsl = await signIn(h.app, 'dsl@oakfield.sch.uk');
  who.auditor = await signIn(h.app, 'auditor@oakfield.sch.uk');
  who.admin = await signIn(h.app, 'admin@oakfield.sch.uk');
  routes = [...reviewRoutes(h.app)];
});
afterAll(async () => h.close());

describe('the route table', () => {
  it('lists the app routes, so the checks below cover something', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(keys).toEqual(expect.arrayContaining(['GET /holds/:id', 'GET /holds/:id/raw', 'POST /holds/:id/release']));
    expect(routes.filter((r) => !isPublicPath(r.url)).length).toBeGreaterThan(10);
  });

  it('refuses an anonymous request to every route that is not public, and changes nothing', async () => {
    const before = await snapshot();
    for (const route of routes.filter((r) => !isPublicPath(r.url))) {
      const response = await call(route);
      const label = `${route.method} ${route.url}`;
      if (route.method === 'GET' || route.method === 'HEAD') {
        expect(response.statusCode, label).toBe(
          route.url.endsWith('/raw') || route.url.startsWith('/api/') ? 401 : 303,
        );
        if (response.statusCode === 303) expect(response.headers.location, label).toMatch(/^\/login\?next=/);
      } else {
        expect(response.statusCode, label).toBe(401);
      }
      expect(response.body, label).not.toContain(SECRET);
      expect(response.body, label).not.toContain('07700');
    }
    expect(await snapshot()).toBe(before);
  });

  it('shows an admin-only account no held mail on any content route, and lets it change nothing there', async () => {
    const before = await snapshot();
    for (const route of routes.filter(isContent)) {
      const response = await call(route, who.admin);
      const label = `${route.method} ${route.url}`;
      if (route.url === '/') {
        expect(response.statusCode, label).toBe(303);
        expect(response.headers.location, label).toBe('/admin');
      } else {
        expect(response.statusCode, label).toBe(403);
      }
      expect(response.body, label).not.toContain(SECRET);
      expect(response.body, label).not.toContain('07700');
      expect(response.body, label).not.toContain('pupil.one@');
    }
    expect(await snapshot()).toBe(before);
    const byAdmin = await h.store.listAudit({ actor: 'admin@oakfield.sch.uk' });
    expect(byAdmin.filter((e) => e.action.startsWith('hold.'))).toEqual([]);
  });

  it('refuses every administration route to a DSL who is not an admin', async () => {
    const before = await snapshot();
    for (const route of routes.filter((r) => r.url.startsWith(ADMIN_PREFIX))) {
      const response = await call(route, who.dsl, { email: 'auditor@oakfield.sch.uk', password: 'a'.repeat(20) });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses every decision and feedback route to an auditor', async () => {
    const before = await snapshot();
    for (const route of routes.filter((r) => r.method === 'POST' && r.url.startsWith('/holds/'))) {
      const response = await call(route, who.auditor);
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
    expect(await snapshot()).toBe(before);
  });

  it('changes nothing but the audit log on any GET, whoever asks', async () => {
    for (const as of [who.dsl, who.auditor, who.admin]) {
      for (const route of routes.filter((r) => r.method === 'GET')) {
        const before = await snapshot();
        await call(route, as);
        expect(await snapshot(), `GET ${route.url}`).toBe(before);
      }
    }
  });

  it('refuses every state-changing route without the session CSRF token, with a wrong one and with another session token', async () => {
    const other = await signIn(h.app, 'x@oakfield.sch.uk');
    const before = await snapshot();
    const changing = routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !isPublicPath(r.url));
    expect(changing.length).toBeGreaterThan(5);
    for (const route of changing) {
      const label = `${route.method} ${route.url}`;
      for (const csrf of [undefined, 'x'.repeat(43), other.csrf]) {
        const response = await h.app.inject({
          method: route.method as 'POST',
          url: concrete(route.url),
          headers: { cookie: who.dsl.cookie },
          payload: { ...(csrf ? { _csrf: csrf } : {}), reason: 'r', email: 'auditor@oakfield.sch.uk' },
        });
        expect(response.statusCode, `${label} csrf=${csrf ?? 'none'}`).toBe(403);
      }
    }
    expect(await snapshot()).toBe(before);
    // The DSL session is still live: the refusals were about the token, not the session.
    expect((await h.app.inject({ method: 'GET', url: '/', headers: { cookie: who.dsl.cookie } })).statusCode).toBe(200);
  });
});
