// End to end in a real headless Chromium: mail sent over SMTP is held by the relay, a DSL signs in to the review app,
// opens it, sees the findings marked, releases it, and the school's mail server (a loopback sink) receives it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { chromium, type BrowserContext } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { hashPassword } from '../../src/gateway/passwords.js';
import { serve, type RunningGateway } from '../../src/gateway/serve.js';
import { startSmtpSink, type SmtpSink } from '../gateway/review/smtp-sink.js';

const CHROMIUM = process.env.CHAPERONE_TEST_CHROMIUM || '/usr/bin/chromium';
const OUTPUT = join(process.cwd(), 'test-output');
const DSL = { email: 'k.patel@oakfield.sch.uk', password: 'review-app e2e password' };
const SENDER = 'j.morgan@oakfield.sch.uk';
const PUPIL = 'amelia.hart@pupils.oakfield.sch.uk';

/** A small pack so this test does not move when the shipped packs are tuned. */
const RULES = {
  pack: 'e2e',
  rules: [
    {
      id: 'personal-mobile-number',
      category: 'contact-details',
      severity: 'high',
      pattern: '\\b07[0-9]{3} ?[0-9]{3} ?[0-9]{3}\\b',
      guidance: 'Communication with children (including the use of technology)',
      explain:
        'A personal mobile number given to a pupil moves contact outside the school’s channels, where it cannot be seen.',
      advice: 'Give pupils the school office number or use the school’s messaging system.',
      examples: { flag: ['ring me on 07700 900123'], pass: ['ring the office on 01632 960000'] },
    },
    {
      id: 'keep-it-between-us',
      category: 'personal-content',
      severity: 'high',
      words: ['between us', 'our little secret'],
      guidance: 'Communication with children (including the use of technology)',
      explain: 'Asking a pupil to keep something secret from others is a recognised grooming behaviour.',
      advice: 'Never ask a pupil to keep contact with you secret.',
      examples: { flag: ['keep this between us'], pass: ['the difference between us and them'] },
    },
    {
      id: 'you-look-gorgeous',
      category: 'suggestive',
      severity: 'medium',
      words: ['gorgeous', 'stunning'],
      guidance: 'Infatuations and crushes',
      explain: 'Comments on a pupil’s appearance are not appropriate from staff.',
      advice: 'Keep comments to the pupil’s work and conduct.',
      examples: { flag: ['you looked gorgeous'], pass: ['a stunning essay'] },
    },
  ],
};

let dir: string;
let sink: SmtpSink;
let gateway: RunningGateway;
let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'chaperone-e2e-'));
  sink = await startSmtpSink();
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'e2e.yaml'), stringify(RULES));
  writeFileSync(
    join(dir, 'chaperone.yaml'),
    stringify({
      organisation: { name: 'Oakfield Academy', domains: ['oakfield.sch.uk'], phones: ['01632 960000'] },
      rules: { dirs: ['rules'] },
      smtp: { listen: '127.0.0.1:0', hostname: 'chaperone.test', closeTimeoutSeconds: 5 },
      directory: { pupils: { domains: ['pupils.oakfield.sch.uk'] }, staff: { domains: ['oakfield.sch.uk'] } },
      upstream: sink.url,
      upstreamOptions: { timeoutSeconds: 5 },
      storage: 'sqlite:chaperone.db',
      review: { listen: '127.0.0.1:0' },
      notifications: { notifySender: false },
      log: { level: 'silent' },
    }),
  );
  gateway = await serve({
    configFile: join(dir, 'chaperone.yaml'),
    watchFiles: false,
    logger: pino({ level: 'silent' }),
  });
  await gateway.store.createUser({
    email: DSL.email,
    roles: ['dsl'],
    passwordHash: await hashPassword(DSL.password),
    createdAt: new Date(),
    failedLogins: 0,
    disabled: false,
  });
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chaperone-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
  });
});

afterAll(async () => {
  await context?.close();
  await gateway?.stop();
  await sink?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function send(subject: string, text: string, html?: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: gateway.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ from: `James Morgan <${SENDER}>`, to: PUPIL, subject, text, ...(html ? { html } : {}) });
  } finally {
    transport.close();
  }
}

it('holds a flagged message, shows its findings to a DSL in the browser, and delivers it on release', async () => {
  await send('Revision group', 'Great work in class today, you looked stunning in the play photos.');
  await send(
    'Your coursework',
    'Hi Amelia,\n\nWell done on the coursework. If you want help before the deadline, text me on my own phone 07700 900123 — keep this between us.\n\nMr Morgan',
    '<p>Hi Amelia,</p><p>Well done on the <b>coursework</b>. If you want help before the deadline, text me on my own phone <b>07700 900123</b> — keep this between us.</p><p>Mr Morgan<br>Head of Science</p>',
  );
  expect(sink.received).toHaveLength(0);
  const [held] = await gateway.store.listHolds({ states: ['held'], search: 'coursework' });
  expect(held?.verdict.findings.map((f) => f.rule).sort()).toEqual(['keep-it-between-us', 'personal-mobile-number']);
  const id = held?.id as string;

  const review = `http://127.0.0.1:${gateway.review?.port}`;
  const page = await context.newPage();
  await page.goto(`${review}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('School e-mail address').fill(DSL.email);
  await page.getByLabel('Password').fill(DSL.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${review}/`);
  await expect.poll(() => page.locator('table.queue tbody tr').count()).toBe(2);
  await page.screenshot({ path: join(OUTPUT, 'queue.png'), fullPage: true });

  await page.getByRole('link', { name: 'Your coursework' }).click();
  await page.waitForURL(`${review}/holds/${id}`);
  const marks = page.locator('.letter mark.finding');
  await expect.poll(() => marks.allTextContents()).toEqual(['07700 900123', 'between us']);
  expect(await page.locator('ol.findings > li').count()).toBe(2);
  await page.screenshot({ path: join(OUTPUT, 'message.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(OUTPUT, 'message-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  await page.getByRole('button', { name: /Release/ }).click();
  await page.waitForURL(new RegExp(`/holds/${id}\\?done=released`));
  expect(await page.getByRole('status').textContent()).toContain('Released');

  const [delivered] = await sink.waitFor(1);
  expect(delivered?.to).toEqual([PUPIL]);
  expect(delivered?.raw).toContain('07700 900123');
  const audit = (await gateway.store.listAudit({ holdId: id })).map((e) => `${e.actor} ${e.action}`);
  expect(audit).toEqual(expect.arrayContaining([`${DSL.email} hold.viewed`, `${DSL.email} hold.released`]));
}, 60_000);
