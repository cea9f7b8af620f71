// The screening threads: rule sets compiled on worker threads, messages screened there with the set they were sent
// with, rule-file mistakes reported as on the main thread, and a message that takes too long held, never passed.
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RuleFileError } from '../../../src/classifier/rules/rule-file-error.js';
import { parseConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import type { MessagePolicy } from '../../../src/gateway/policy.js';
import type { ScreenResult } from '../../../src/gateway/screen-result.js';
import type { Screener } from '../../../src/gateway/screener.js';
import { startScreeningThreads } from '../../../src/gateway/screening-threads.js';
import { mailWithAttachments } from '../../fixtures/attachment-mail.js';
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

  it('holds a message past its time even while the thread finishes others around it', async () => {
    // Reading this PDF takes about two seconds in pieces of a few milliseconds, waiting on the disk page after page
    // (each page's font names a different character map, which pdf.js reads from its files), so the thread screens
    // other mail in between: the time is each message's own, or a slow attachment among steady traffic would run on
    // unbounded and then pass (it did: 290 s with a 20 s timeout, found by a hostile-input audit).
    screener = startScreeningThreads({ threads: 1, timeoutSeconds: 0.25 });
    const rules = await screener.load(configWith(TEST_RULES));
    const slow = screener.screen(
      await mailWithAttachments([
        { filename: 'reading.pdf', content: pdfReadingCharacterMaps(100, 30), contentType: 'application/pdf' },
      ]),
      POLICY,
      rules,
    );
    let settled = false;
    void slow.finally(() => (settled = true));
    const others: Promise<ScreenResult>[] = [];
    while (!settled && others.length < 500) {
      others.push(screener.screen(mail('Please read chapter 4 for Monday.'), POLICY, rules));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const held = await slow;
    expect(held.problem).toBe('screening-failed');
    expect(held.verdict.problems[0]).toContain('took longer than 0.25 seconds');
    for (const other of await Promise.all(others)) expect(other.verdict.action).toBe('pass');
  });
});

/**
 * A PDF of `pages` pages, each with a font whose encoding is a different one of pdf.js's character maps and a drawing
 * without text repeated `repeats` times.
 */
function pdfReadingCharacterMaps(pages: number, repeats: number): Buffer {
  const folder = join(fileURLToPath(new URL('../../../', import.meta.url)), 'node_modules', 'pdfjs-dist', 'cmaps');
  const maps = readdirSync(folder)
    .filter((name) => name.endsWith('.bcmap') && !name.startsWith('Identity'))
    .map((name) => name.slice(0, -'.bcmap'.length));
  const drawing = '0 0 m 10 10 l 20 5 l h S '.repeat(400);
  const objects = new Map<number, string>([
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [3, `<< /Length ${drawing.length} >>\nstream\n${drawing}\nendstream`],
  ]);
  const kids: number[] = [];
  for (let i = 0; i < pages; i++) {
    const [page, content, font, descendant] = [4 + i * 4, 5 + i * 4, 6 + i * 4, 7 + i * 4];
    kids.push(page);
    objects.set(
      descendant,
      `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /F${i} /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) ` +
        `/Supplement 2 >> /FontDescriptor << /Type /FontDescriptor /FontName /F${i} /Flags 4 /FontBBox [0 0 1000 1000] ` +
        `/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >> >>`,
    );
    objects.set(
      font,
      `<< /Type /Font /Subtype /Type0 /BaseFont /F${i} /Encoding /${maps[i % maps.length]} /DescendantFonts [${descendant} 0 R] >>`,
    );
    const text = 'BT /F1 12 Tf 10 10 Td <3030> Tj ET';
    objects.set(content, `<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
    objects.set(
      page,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> ` +
        `/Contents [${content} 0 R ${'3 0 R '.repeat(repeats)}] >>`,
    );
  }
  objects.set(2, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${pages} >>`);
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  for (let n = 1; n <= objects.size; n++) {
    offsets.push(out.length);
    out += `${n} 0 obj\n${objects.get(n)}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.size + 1}\n0000000000 65535 f \n`;
  out += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.size + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
