// The quick start as a school's IT technician follows it, on the shipped config/default.yaml and its sample directory
// (only the two listen ports changed to 0): `chaperone serve` as a real process, mail in over SMTP, the CLI's `users`
// and `queue` as separate processes on the same SQLite file, a DSL signing in to the review app over HTTP with its
// CSRF token and releasing the held message, and SIGHUP / SIGTERM. The other tests build their own configs; this one
// proves the defaults a newcomer meets first work together.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaperone, ensureBuilt, ROOT } from './chaperone-process.js';

const STAFF = 'j.morgan@oakfield.sch.uk';
const PUPIL = 'amelia.hart@pupils.oakfield.sch.uk';
/** Listed only in config/sample-directory/parents.csv, not by domain: proves the CSV half of the directory is read. */
const PARENT = 'rachel.hart@example.com';
const DSL = 'helen.price@oakfield.sch.uk';
const DSL_PASSWORD = 'correct horse battery staple';
const FLAGGED_PHRASE = 'text me on my personal mobile 07700 900123';
const START_TIMEOUT_MS = 20_000;

type LogLine = Record<string, unknown>;

interface Gateway {
  child: ChildProcess;
  lines: LogLine[];
  smtpPort: number;
  reviewUrl: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function portOf(address: unknown): number {
  return Number(String(address).split(':').at(-1));
}

async function startGateway(configFile: string, cwd: string): Promise<Gateway> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/chaperone.js'), 'serve', '--config', configFile], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let raw = '';
  let pending = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        lines.push({ text: line });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = await waitFor(
    () => lines.find((l) => l.event === 'started') ?? (child.exitCode !== null ? ({} as LogLine) : undefined),
    'the started line',
    START_TIMEOUT_MS,
  );
  if (started.event !== 'started') throw new Error(`chaperone serve exited ${child.exitCode}: ${stderr}${raw}`);
  return {
    child,
    lines,
    smtpPort: portOf(started.smtp),
    reviewUrl: `http://127.0.0.1:${portOf(started.review)}`,
    stdout: () => raw,
    exited,
  };
}

/** The review app's cookies, kept the way a browser keeps them for one site. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function csrfTokenIn(page: string, formAction: string): string {
  const form = page.slice(page.indexOf(`action="${formAction}"`));
  const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  if (token === undefined) throw new Error(`no CSRF token in the form posting to ${formAction}`);
  return token;
}

function outboxMessages(outbox: string): string[] {
  if (!existsSync(outbox)) return [];
  return readdirSync(outbox)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => readFileSync(path.join(outbox, name), 'utf8'));
}

describe('the quick start on the shipped default configuration', () => {
  let work: string;
  let configFile: string;
  let dataDir: string;
  let outbox: string;
  let gateway: Gateway;
  let mailer: nodemailer.Transporter;

  beforeAll(async () => {
    ensureBuilt();
    work = mkdtempSync(path.join(tmpdir(), 'chaperone-fresh-clone-'));
    const configDir = path.join(work, 'config');
    mkdirSync(configDir);
    cpSync(path.join(ROOT, 'config/sample-directory'), path.join(configDir, 'sample-directory'), { recursive: true });
    const shipped = readFileSync(path.join(ROOT, 'config/default.yaml'), 'utf8');
    const listens = shipped.match(/^ {2}listen: 127\.0\.0\.1:(2525|8025)$/gm) ?? [];
    expect(listens, 'config/default.yaml listens on 127.0.0.1:2525 and :8025').toHaveLength(2);
    configFile = path.join(configDir, 'default.yaml');
    writeFileSync(configFile, shipped.replace(/^( {2}listen: 127\.0\.0\.1:)(2525|8025)$/gm, '$10'));
    // Started from another folder: the config's relative paths (../data, sample-directory/) must follow the file.
    const elsewhere = path.join(work, 'elsewhere');
    mkdirSync(elsewhere);
    dataDir = path.join(work, 'data');
    outbox = path.join(dataDir, 'outbox');
    gateway = await startGateway(configFile, elsewhere);
    mailer = nodemailer.createTransport({ host: '127.0.0.1', port: gateway.smtpPort, secure: false, ignoreTLS: true });
  }, START_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    mailer?.close();
    if (gateway && gateway.child.exitCode === null) {
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('starts with the sample directory loaded and keeps its data under data/ beside config/, owner-only', () => {
    const started = gateway.lines.find((l) => l.event === 'started')!;
    expect(started.directory).toEqual({ pupil: 5, parent: 6, staff: 4 });
    expect(started.storage).toBe(`sqlite:${path.join(dataDir, 'chaperone.db')}`);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'chaperone.db')).mode & 0o777).toBe(0o600);
  });

  it('passes a clean message from a sample teacher to a sample pupil into data/outbox, marked as screened', async () => {
    const info = await mailer.sendMail({
      from: STAFF,
      to: PUPIL,
      subject: 'Trip form',
      text: 'Please bring your signed trip form on Friday.',
    });
    expect(info.response).toMatch(/^250 2\.0\.0 Accepted and passed on .*\(id ([0-9A-Z-]+)\)$/);
    const delivered = outboxMessages(outbox).find((m) => m.includes('Subject: Trip form'));
    expect(delivered).toMatch(/^X-Chaperone-Verdict: pass; score=0\r?$/m);
    const line = gateway.lines.find((l) => l.event === 'message' && l.action === 'pass');
    expect(line).toMatchObject({
      sender: STAFF,
      recipients: [{ address: PUPIL, class: 'pupil' }],
      outcome: 'delivered',
    });
  });

  it('holds a message to a parent listed in the sample CSV, and DSLs are told in data/outbox without the text', async () => {
    const info = await mailer.sendMail({
      from: STAFF,
      to: PARENT,
      subject: 'Weekend plans',
      text: `Hello Mrs Hart, ${FLAGGED_PHRASE} when Amelia is free. Don't tell anyone.`,
    });
    const id = /held for review by the school's safeguarding lead \(id ([0-9A-Z-]+)\)/.exec(info.response)?.[1];
    expect(id, info.response).toBeDefined();
    const line = await waitFor(
      () => gateway.lines.find((l) => l.event === 'message' && l.id === id),
      'the message line of the hold',
    );
    expect(line).toMatchObject({ action: 'hold', outcome: 'held', recipients: [{ address: PARENT, class: 'parent' }] });
    expect(line.rules).toContain('contact-mobile-number');
    const notice = await waitFor(
      () => outboxMessages(outbox).find((m) => /^X-Chaperone-Notice: held\r?$/m.test(m) && m.includes(id!)),
      'the notice to the DSLs',
    );
    expect(notice).toMatch(/^To: dsl@oakfield\.sch\.uk\r?$/m);
    for (const text of [...outboxMessages(outbox).filter((m) => m.includes('X-Chaperone-Notice')), gateway.stdout()]) {
      expect(text).not.toContain('07700 900123');
      expect(text).not.toContain('Weekend plans');
    }
  });

  it('lets IT add a DSL and list the queue from the command line while the relay runs', async () => {
    const added = await chaperone(['users', 'add', DSL, '--role', 'dsl', '--password-stdin', '--config', configFile], {
      input: `${DSL_PASSWORD}\n`,
    });
    expect(added).toMatchObject({ code: 0, stdout: `Added ${DSL} (dsl).\n` });
    const listed = await chaperone(['queue', 'list', '--format', 'json', '--config', configFile]);
    expect(listed.code).toBe(0);
    const queue = JSON.parse(listed.stdout) as { id: string; state: string; to: string[]; subject: string }[];
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ state: 'held', to: [PARENT], subject: 'Weekend plans' });
  });

  it('lets the DSL sign in to the review app, see the held message and release it to data/outbox', async () => {
    const jar = new CookieJar();
    const get = async (url: string) => {
      const response = await fetch(gateway.reviewUrl + url, { headers: { cookie: jar.header() }, redirect: 'manual' });
      jar.take(response);
      return response;
    };
    const post = async (url: string, form: Record<string, string>) => {
      const response = await fetch(gateway.reviewUrl + url, {
        method: 'POST',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        redirect: 'manual',
      });
      jar.take(response);
      return response;
    };

    expect((await get('/')).status).toBe(303);
    const loginPage = await (await get('/login')).text();
    const signedIn = await post('/login', {
      _csrf: csrfTokenIn(loginPage, '/login'),
      next: '/',
      email: DSL,
      password: DSL_PASSWORD,
    });
    expect(signedIn.status).toBe(303);

    const queuePage = await (await get('/')).text();
    const id = /href="\/holds\/([0-9A-Z-]+)"/.exec(queuePage)?.[1];
    expect(id, 'a held message in the queue').toBeDefined();
    const holdPage = await (await get(`/holds/${id}`)).text();
    expect(holdPage).toContain('07700 900123');
    const released = await post(`/holds/${id}/release`, { _csrf: csrfTokenIn(holdPage, `/holds/${id}/release`) });
    expect(released.status).toBe(303);

    const delivered = outboxMessages(outbox).find((m) => m.includes('Subject: Weekend plans') && !m.includes('Notice'));
    expect(delivered).toMatch(/^X-Chaperone-Verdict: released\r?$/m);
    expect(delivered).not.toContain(DSL);
    expect(delivered).toMatch(/^To: rachel\.hart@example\.com\r?$/m);
    const listed = await chaperone([
      'queue',
      'list',
      '--state',
      'released',
      '--format',
      'json',
      '--config',
      configFile,
    ]);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id, state: 'released' }]);
  });

  it('reloads on SIGHUP, then drains and exits 0 on SIGTERM', async () => {
    gateway.child.kill('SIGHUP');
    await waitFor(() => gateway.lines.find((l) => l.event === 'reload' && l.reason === 'SIGHUP'), 'the reload line');
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(gateway.lines.map((l) => l.event)).toEqual(expect.arrayContaining(['signal', 'stopping', 'stopped']));
  });
});
