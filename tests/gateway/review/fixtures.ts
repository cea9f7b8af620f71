// Shared set-up for the review-app tests: a real SQLite store in a temp folder, a real folder upstream, real MIME,
// users with real scrypt hashes, and sign-in through the real login form.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Finding, MessagePart, Severity, Category } from '../../../src/classifier/types.js';
import { SEVERITY_POINTS } from '../../../src/classifier/types.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { createDirUpstream } from '../../../src/gateway/dir-upstream.js';
import type { HoldStore, NewHold, RecipientSummary, Role } from '../../../src/gateway/hold-store.js';
import { newHoldId } from '../../../src/gateway/ids.js';
import { createNotifier, type Notifier } from '../../../src/gateway/notifications.js';
import { openStore } from '../../../src/gateway/open-store.js';
import { hashPassword } from '../../../src/gateway/passwords.js';
import { createReviewApp } from '../../../src/gateway/review/app.js';
import type { Upstream } from '../../../src/gateway/upstream.js';

export const PASSWORD = 'correct horse battery staple';

export interface Harness {
  dir: string;
  outbox: string;
  config: Config;
  store: HoldStore;
  upstream: Upstream;
  notifier: Notifier;
  app: FastifyInstance;
  clock: { now: Date };
  close(): Promise<void>;
}

export async function startHarness(overrides: Record<string, unknown> = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'chaperone-review-'));
  const outbox = join(dir, 'outbox');
  const config = configSchema.parse({
    organisation: { name: 'Oakfield School', domains: ['oakfield.sch.uk'] },
    storage: `sqlite:${join(dir, 'chaperone.db')}`,
    review: { publicUrl: 'https://review.oakfield.sch.uk', deputies: ['deputy@oakfield.sch.uk'] },
    notifications: { dsl: ['dsl-team@oakfield.sch.uk'], from: 'Chaperone <chaperone@oakfield.sch.uk>' },
    ...overrides,
  });
  const store = await openStore(config.storage);
  const upstream = createDirUpstream(outbox);
  const logger = pino({ level: 'silent' });
  const notifier = createNotifier({ config, store, upstream, logger });
  const clock = { now: new Date() };
  const app = await createReviewApp({ config, store, upstream, logger, notifier, now: () => clock.now });
  await app.ready();
  return {
    dir,
    outbox,
    config,
    store,
    upstream,
    notifier,
    app,
    clock,
    async close() {
      await notifier.settled();
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let cachedHash: Promise<string> | undefined;

export async function addUser(store: HoldStore, email: string, roles: Role[]): Promise<void> {
  cachedHash ??= hashPassword(PASSWORD);
  await store.createUser({
    email,
    roles,
    passwordHash: await cachedHash,
    createdAt: new Date(),
    failedLogins: 0,
    disabled: false,
  });
}

export interface SignedIn {
  cookie: string;
  csrf: string;
}

function cookiesFrom(setCookie: string | string[] | undefined): Record<string, string> {
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  const jar: Record<string, string> = {};
  for (const c of list) {
    const [pair] = c.split(';');
    const eq = (pair ?? '').indexOf('=');
    if (eq > 0) jar[(pair as string).slice(0, eq)] = (pair as string).slice(eq + 1);
  }
  return jar;
}

export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
}

let loginAddress = 0;

/** Each sign-in comes from its own address, so the per-address sign-in rate limit never trips a test by accident. */
export async function attemptLogin(app: FastifyInstance, email: string, password: string) {
  loginAddress++;
  const remoteAddress = `10.0.${Math.floor(loginAddress / 250)}.${(loginAddress % 250) + 1}`;
  const form = await app.inject({ method: 'GET', url: '/login' });
  const loginCookie = cookiesFrom(form.headers['set-cookie'])['chaperone_login'] as string;
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    headers: { cookie: `chaperone_login=${loginCookie}` },
    payload: { email, password, _csrf: csrfOf(form.body), next: '/' },
  });
}

export async function signIn(app: FastifyInstance, email: string, password = PASSWORD): Promise<SignedIn> {
  const response = await attemptLogin(app, email, password);
  if (response.statusCode !== 303)
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body.slice(0, 300)}`);
  const session = cookiesFrom(response.headers['set-cookie'])['chaperone'];
  const cookie = `chaperone=${session}`;
  const page = await app.inject({ method: 'GET', url: '/audit', headers: { cookie } });
  const fallback =
    page.statusCode === 200 ? page : await app.inject({ method: 'GET', url: '/admin', headers: { cookie } });
  return { cookie, csrf: csrfOf(fallback.body) };
}

export function post(
  app: FastifyInstance,
  who: SignedIn,
  url: string,
  payload: Record<string, string | string[]> = {},
) {
  return app.inject({ method: 'POST', url, headers: { cookie: who.cookie }, payload: { _csrf: who.csrf, ...payload } });
}

export function get(app: FastifyInstance, who: SignedIn | undefined, url: string) {
  return app.inject({
    method: 'GET',
    url,
    headers: who ? { cookie: who.cookie, accept: 'text/html' } : { accept: 'text/html' },
  });
}

export interface FlagSpec {
  /** The offending text, found in the body (or the part named) by its first occurrence. */
  text: string;
  rule: string;
  category: Category;
  severity: Severity;
  in?: 'body' | 'html' | 'subject';
}

export interface MessageSpec {
  mailFrom?: string;
  to?: RecipientSummary[];
  subject?: string;
  text: string;
  html?: string;
  flags: FlagSpec[];
  receivedAt?: Date;
  attachments?: { filename: string; content: string | Buffer }[];
}

/**
 * A hold as the relay would store it: real MIME from nodemailer, and a verdict whose parts are exact substrings of the
 * message's subject, text and HTML (as the classifier's contract requires), with findings at the flagged text.
 */
export async function makeHold(spec: MessageSpec): Promise<NewHold> {
  const mailFrom = spec.mailFrom ?? 'j.smith@oakfield.sch.uk';
  const to = spec.to ?? [{ address: 'pupil.one@students.oakfield.sch.uk', class: 'pupil' as const }];
  const subject = spec.subject ?? 'Homework';
  const raw = await new MailComposer({
    from: `John Smith <${mailFrom}>`,
    to: to.map((r) => r.address),
    subject,
    text: spec.text,
    ...(spec.html ? { html: spec.html } : {}),
    ...(spec.attachments ? { attachments: spec.attachments } : {}),
    date: spec.receivedAt ?? new Date(),
  })
    .compile()
    .build();
  const parts: MessagePart[] = [
    { kind: 'subject', source: 'subject', offset: 0, text: subject },
    { kind: 'body', source: 'text', offset: 0, text: spec.text },
  ];
  if (spec.html) parts.push({ kind: 'html', source: 'html', offset: 0, text: spec.html });
  const findings: Finding[] = spec.flags.map((flag) => {
    const partIndex = flag.in === 'html' ? 2 : flag.in === 'subject' ? 0 : 1;
    const part = parts[partIndex] as MessagePart;
    const start = part.text.indexOf(flag.text);
    if (start < 0) throw new Error(`'${flag.text}' is not in the ${part.kind}`);
    return {
      rule: flag.rule,
      category: flag.category,
      severity: flag.severity,
      text: flag.text,
      start,
      end: start + flag.text.length,
      part: part.kind,
      partIndex,
      score: SEVERITY_POINTS[flag.severity],
      explain: `Explanation for ${flag.rule}.`,
      advice: `Advice for ${flag.rule}: use the school's channels.`,
      guidance: 'Communication with children (including the use of technology)',
    };
  });
  const categories = [...new Set(findings.map((f) => f.category))];
  const severity = findings.some((f) => f.severity === 'high')
    ? 'high'
    : findings.some((f) => f.severity === 'medium')
      ? 'medium'
      : 'low';
  const score = findings.reduce((sum, f) => sum + f.score, 0);
  const receivedAt = spec.receivedAt ?? new Date();
  return {
    id: newHoldId(receivedAt),
    receivedAt,
    envelope: { mailFrom, rcptTo: to.map((r) => r.address), remoteAddress: '127.0.0.1' },
    recipients: to,
    from: `John Smith <${mailFrom}>`,
    subject,
    reason: 'flagged',
    verdict: { action: 'hold', score, categories, findings, parts, problems: [] },
    severity,
    raw,
  };
}

export const PHONE_FLAG: FlagSpec = {
  text: '07700 900123',
  rule: 'personal-mobile',
  category: 'contact-details',
  severity: 'high',
};

export async function putPhoneHold(store: HoldStore, extra: Partial<MessageSpec> = {}): Promise<NewHold> {
  const hold = await makeHold({
    text: 'Hi Sam,\n\nText me on my own phone 07700 900123 if you want to talk about the trip.\n\nMr Smith',
    flags: [PHONE_FLAG],
    ...extra,
  });
  await store.putHold(hold);
  return hold;
}

export async function outboxMessages(
  outbox: string,
): Promise<{ envelope: { from: string; to: string[] }; raw: string }[]> {
  let names: string[];
  try {
    names = await readdir(outbox);
  } catch {
    return [];
  }
  const out = [];
  for (const name of names.filter((n) => n.endsWith('.eml')).sort()) {
    const raw = await readFile(join(outbox, name), 'utf8');
    const envelope = JSON.parse(await readFile(join(outbox, name.replace(/\.eml$/, '.json')), 'utf8')) as {
      from: string;
      to: string[];
    };
    out.push({ envelope, raw });
  }
  return out;
}
