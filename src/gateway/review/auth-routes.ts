// Sign in and sign out. Failed sign-ins are counted on the user and lock the account for a while after too many;
// every attempt is audited. A per-IP rate limit stops password guessing across many accounts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyPassword, MAX_PASSWORD_LENGTH } from '../passwords.js';
import type { ReviewAppDeps } from './deps.js';
import { html } from './html.js';
import { page } from './layout.js';
import type { User } from '../hold-store.js';
import {
  cookieOptions,
  currentSession,
  endSession,
  loginCsrfCookieName,
  randomToken,
  sameToken,
  startSession,
} from './session.js';

/** Failed sign-ins in a row that lock an account. */
export const MAX_FAILED_LOGINS = 5;
/** How long a locked account stays locked. */
export const LOCKOUT_MINUTES = 15;
/** Sign-in attempts per minute from one address, whatever the account. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 20;
const MAX_EMAIL_LENGTH = 320;

/** A hash of a random password, checked when the e-mail is unknown so both paths take as long. */
const DUMMY_HASH = '$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$ZHVtbXlkdW1teWR1bW15ZHVtbXlkdW1teWR1bW15MTI';

interface LoginBody {
  email?: unknown;
  password?: unknown;
  _csrf?: unknown;
  next?: unknown;
}

/**
 * Only local paths are followed after sign-in: never another site. Browsers drop tabs and line breaks from a URL, so
 * `/<tab>/evil.example` would become `//evil.example`: white space, control characters and backslashes are refused.
 */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s\\\u0000-\u001f\u007f]*$/.test(next) && next.length < 2000
    ? next
    : '/';
}

/**
 * One answer for every refused sign-in (unknown address, wrong password, locked or disabled account), with the same
 * status: a different one would tell a stranger which addresses have accounts. It still tells a locked-out DSL why.
 */
export const SIGN_IN_REFUSED =
  `Those details did not sign you in. Check your e-mail address and password. After ${MAX_FAILED_LOGINS} wrong ` +
  `tries in a row an account is locked for ${LOCKOUT_MINUTES} minutes; your Chaperone administrator can unlock it sooner.`;

function loginPage(org: string, token: string, next: string, message?: string, email = ''): string {
  return page({
    title: 'Sign in',
    organisation: org,
    body: html`<div class="login">
      <h1>Sign in</h1>
      <p class="lede">Review messages held by Chaperone, ${org}'s safeguarding check on outgoing e-mail.</p>
      ${message ? html`<div class="notice error" role="alert">${message}</div>` : ''}
      <div class="card">
        <form method="post" action="/login">
          <input type="hidden" name="_csrf" value="${token}" />
          <input type="hidden" name="next" value="${next}" />
          <div>
            <label for="email">School e-mail address</label>
            <input id="email" name="email" type="email" autocomplete="username" required value="${email}" autofocus />
          </div>
          <div>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <div><button class="primary" type="submit">Sign in</button></div>
        </form>
      </div>
      <p class="muted small">Forgotten your password or locked out? Ask your Chaperone administrator.</p>
    </div>`,
  });
}

export function registerAuthRoutes(app: FastifyInstance, deps: ReviewAppDeps, now: () => Date): void {
  const { store, config } = deps;
  // Read per request: `config` follows reloads (live-config.ts).
  const org = (): string => config.organisation.name;

  function freshLoginToken(reply: FastifyReply): string {
    const token = randomToken();
    reply.setCookie(loginCsrfCookieName(config), token, cookieOptions(config, 3600));
    return token;
  }

  const attempts = new Map<string, Promise<unknown>>();

  /** Runs `work` after any attempt on the same account has finished (within this process). */
  async function oneAtATime<T>(email: string, work: () => Promise<T>): Promise<T> {
    const before = attempts.get(email) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.catch(() => undefined);
    attempts.set(email, settled);
    try {
      return await mine;
    } finally {
      if (attempts.get(email) === settled) attempts.delete(email);
    }
  }

  type Audit = (action: string, detail?: Record<string, unknown>) => Promise<void>;

  /**
   * Checks a password and keeps the failure count. The scrypt check runs on every path (unknown address, locked or
   * disabled account) so that the time taken does not tell them apart either.
   */
  async function checkSignIn(email: string, password: string, at: Date, audit: Audit): Promise<User | undefined> {
    const user = await store.getUser(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user) {
      await audit('login.failed', { reason: 'unknown-user' });
      return undefined;
    }
    if (user.lockedUntil && user.lockedUntil.getTime() > at.getTime()) {
      await audit('login.failed', { reason: 'locked', lockedUntil: user.lockedUntil.toISOString() });
      return undefined;
    }
    if (user.disabled) {
      await audit('login.failed', { reason: 'disabled' });
      return undefined;
    }
    if (ok) {
      await store.updateUser(user.email, { failedLogins: 0, lockedUntil: undefined });
      return user;
    }
    // Counted by the store in one statement: other review-app instances may be counting this account's failures too.
    const lockedUntil = new Date(at.getTime() + LOCKOUT_MINUTES * 60_000);
    const count = await store.recordFailedLogin(user.email, MAX_FAILED_LOGINS, lockedUntil);
    if (count === undefined) {
      await audit('login.failed', { reason: 'unknown-user' });
    } else if (count.locked) {
      await audit('login.locked', { failedLogins: count.failedLogins, lockedUntil: lockedUntil.toISOString() });
    } else {
      await audit('login.failed', { reason: 'wrong-password', failedLogins: count.failedLogins });
    }
    return undefined;
  }

  app.get('/login', async (request: FastifyRequest<{ Querystring: { next?: string } }>, reply) => {
    const token = freshLoginToken(reply);
    return reply.type('text/html; charset=utf-8').send(loginPage(org(), token, safeNext(request.query.next)));
  });

  app.post(
    '/login',
    { config: { rateLimit: { max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 } } },
    async (request: FastifyRequest<{ Body: LoginBody }>, reply) => {
      const body = request.body ?? {};
      const next = safeNext(body.next);
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase().slice(0, MAX_EMAIL_LENGTH) : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const fail = (status: number, message: string) =>
        reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(loginPage(org(), freshLoginToken(reply), next, message, email));

      const expected = request.cookies[loginCsrfCookieName(config)];
      if (!sameToken(typeof body._csrf === 'string' ? body._csrf : undefined, expected)) {
        return fail(403, 'The sign-in form had expired. Please try again.');
      }
      const at = now();
      const audit = (action: string, detail?: Record<string, unknown>) =>
        store.appendAudit({
          at,
          actor: email || '(blank)',
          action,
          remoteAddress: request.ip,
          ...(detail ? { detail } : {}),
        });
      if (email === '' || password === '' || password.length > MAX_PASSWORD_LENGTH) return fail(401, SIGN_IN_REFUSED);
      // One attempt per account at a time: otherwise a burst of guesses all read the same failure count and the
      // lock-out never trips.
      const user = await oneAtATime(email, () => checkSignIn(email, password, at, audit));
      if (!user) return fail(401, SIGN_IN_REFUSED);
      // Whatever session this browser brought (someone else's, planted) ends here; the new one has a fresh id.
      const earlier = await currentSession(store, config, request, at);
      if (earlier) await store.deleteSession(earlier.session.id);
      await startSession(store, config, user, at, reply);
      reply.clearCookie(loginCsrfCookieName(config), cookieOptions(config));
      await store.appendAudit({ at, actor: user.email, action: 'login', remoteAddress: request.ip });
      return reply.redirect(next, 303);
    },
  );

  app.post('/logout', async (request, reply) => {
    const viewer = request.viewer;
    if (viewer) {
      await endSession(store, config, viewer.session, reply);
      await store.appendAudit({ at: now(), actor: viewer.user.email, action: 'logout', remoteAddress: request.ip });
    }
    return reply.redirect('/login', 303);
  });
}
