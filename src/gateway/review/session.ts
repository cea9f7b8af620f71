// Sessions: a random token in an HTTP-only, SameSite=Strict cookie; the store keeps only its SHA-256, so a copy of
// the database does not let anyone sign in. Each session carries its own CSRF secret (the synchronizer token).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/schema.js';
import type { HoldStore, Session, User } from '../hold-store.js';

const TOKEN_BYTES = 32;

export function sessionCookieName(config: Config): string {
  // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
  return config.review.secureCookies ? '__Host-chaperone' : 'chaperone';
}

/**
 * The sign-in form's token cookie. Over HTTPS it is __Host- too: otherwise a sibling site under the school's domain
 * (same-site, so SameSite does not stop it) could plant its own token and sign a DSL into another account.
 */
export function loginCsrfCookieName(config: Config): string {
  return config.review.secureCookies ? '__Host-chaperone_login' : 'chaperone_login';
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function randomToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a.length === 0) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function cookieOptions(config: Config, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: config.review.secureCookies,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

export async function startSession(
  store: HoldStore,
  config: Config,
  user: User,
  now: Date,
  reply: FastifyReply,
): Promise<Session> {
  const token = randomToken();
  const session: Session = {
    id: digest(token),
    email: user.email,
    csrfSecret: randomToken(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + config.review.sessionHours * 3_600_000),
  };
  await store.createSession(session);
  reply.setCookie(
    sessionCookieName(config),
    token,
    cookieOptions(config, Math.floor(config.review.sessionHours * 3600)),
  );
  return session;
}

/** The live session and its user for this request, or undefined (no cookie, unknown, expired, user disabled). */
export async function currentSession(
  store: HoldStore,
  config: Config,
  request: FastifyRequest,
  now: Date,
): Promise<{ session: Session; user: User } | undefined> {
  const token = request.cookies[sessionCookieName(config)];
  if (!token || token.length > 128) return undefined;
  const session = await store.getSession(digest(token));
  if (!session) return undefined;
  if (session.expiresAt.getTime() <= now.getTime()) {
    await store.deleteSession(session.id);
    return undefined;
  }
  const user = await store.getUser(session.email);
  if (!user || user.disabled) return undefined;
  return { session, user };
}

export async function endSession(
  store: HoldStore,
  config: Config,
  session: Session,
  reply: FastifyReply,
): Promise<void> {
  await store.deleteSession(session.id);
  reply.clearCookie(sessionCookieName(config), cookieOptions(config));
}
