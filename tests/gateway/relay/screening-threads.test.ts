// The screening threads: rule sets compiled on worker threads, messages screened there with the set they were sent
// with, rule-file mistakes reported as on the main thread, and a message that takes too long held, never passed.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RuleFileError } from '../../../src/classifier/rules/rule-file-error.js';
import { parseConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import type { MessagePolicy } from '../../../src/gateway/policy.js';
import type { Screener } from '../../../src/gateway/screener.js';
import { startScreeningThreads } from '../../../src/gateway/screening-threads.js';
import { ADDRESSES, TEST_RULES, rfc5322, slowToScreen } from './harness.js';

const POLICY: MessagePolicy = {
  mode: 'screen',
  recipientClass: 'pupil',
  categories: ['contact-details', 'personal-content', 'suggestive'],
};

/** A plain message from staff to a pupil, subject "Homework". */
function mail(body: string): Buffer {
  return Buffer.from(rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Homework', body));
}

describe('screening threads', () => {
  let dir: string;
  let screener: Screener | undefined;

  function configWith(rules: object, screening: object = {}): Config {
    const folder = mkdtempSync(join(dir, 'rules-'));
    writeFileSync(join(folder, 'pack.yaml'), stringify(rules));
    return parseConfig(
      undefined,
      stringify({
        organisation: { name: 'Oakfield Test', domains: ['oakfield.sch.uk'] },
        rules: { dirs: [folder] },
        screening,
      }),
    ).config;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chaperone-threads-'));
    mkdirSync(dir, { recursive: true });
  });

  afterEach(async () => {
    await screener?.close();
    screener = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('screens on a thread with the compiled rules and lists them for the admin page', async () => {
    screener = startScreeningThreads({ threads: 2, timeoutSeconds: 30 });
    const rules = await screener.load(configWith(TEST_RULES));
    expect(rules.rules.map((r) => r.id)).toEqual(['test-personal-mobile', 'test-secret', 'test-kisses']);

    const flagged = await screener.screen(mail('Text me on 07700 900123 tonight.'), POLICY, rules);
    expect(flagged.verdict.action).toBe('hold');
    expect(flagged.verdict.findings.map((f) => [f.rule, f.text])).toEqual([['test-personal-mobile', '07700 900123']]);
    expect(flagged.subject).toBe('Homework');
    // The review app shows a held message's parts, so they come back with its verdict.
    expect(flagged.verdict.parts.map((p) => p.kind)).toContain('body');

    const clean = await screener.screen(mail('Please read chapter 4 for Monday.'), POLICY, rules);
    expect(clean.verdict.action).toBe('pass');
    // Nothing reads a clean message's parts: they are not copied back from the thread.
    expect(clean.verdict.parts).toEqual([]);
  });

  it('rejects a rule pack with a mistake with the same file:line:column error as the main thread gives', async () => {
    screener = startScreeningThreads({ threads: 1, timeoutSeconds: 30 });
    const broken = { pack: 'broken', rules: [{ ...TEST_RULES.rules[0], pattern: '(unclosed' }] };
    const error = await screener.load(configWith(broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleFileError);
    expect((error as RuleFileError).message).toMatch(/pack\.yaml:\d+:\d+: .*pattern/);
    // The threads are still there for a good set.
    const rules = await screener.load(configWith(TEST_RULES));
    expect((await screener.screen(mail('our little secret'), POLICY, rules)).verdict.action).toBe('hold');
  });

  it('screens a message with the set it was sent with, even when that set is retired while it waits', async () => {
    screener = startScreeningThreads({ threads: 1, timeoutSeconds: 30 });
    const before = await screener.load(configWith(TEST_RULES));
    const after = await screener.load(
      configWith({ pack: 'relay-test', rules: TEST_RULES.rules.filter((r) => r.id !== 'test-secret') }),
    );
    const pending = screener.screen(mail('this is our little secret'), POLICY, before);
    screener.retire(before);
    expect((await pending).verdict.findings.map((f) => f.rule)).toEqual(['test-secret']);
    expect((await screener.screen(mail('this is our little secret'), POLICY, after)).verdict.action).toBe('pass');
    // A message that waited past the reload, once the old set is freed, is screened with the new one.
    const late = await screener.screen(mail('this is our little secret'), POLICY, before);
    expect(late.problem).toBeUndefined();
    expect(late.verdict.action).toBe('pass');
  });

  it('holds a message whose screening takes longer than the timeout, and screens the next one on a new thread', async () => {
    const replaced: string[] = [];
    screener = startScreeningThreads({ threads: 1, timeoutSeconds: 0.05, onReplaced: (why) => replaced.push(why) });
    const rules = await screener.load(configWith(TEST_RULES));
    // Several hundred milliseconds of screening, far over 50 ms.
    const slow = screener.screen(Buffer.from(slowToScreen()), POLICY, rules);
    const next = screener.screen(mail('Text me on 07700 900123 tonight.'), POLICY, rules);

    const held = await slow;
    expect(held.problem).toBe('screening-failed');
    expect(held.verdict.action).toBe('hold');
    expect(held.verdict.problems[0]).toContain('took longer than 0.05 seconds');
    expect(replaced).toHaveLength(1);
    // The message queued behind it was screened again on the new thread, properly.
    const screened = await next;
    expect(screened.problem).toBeUndefined();
    expect(screened.verdict.findings.map((f) => f.rule)).toEqual(['test-personal-mobile']);
  });
});
