// Hostile and broken input through the whole pipeline (parseMime -> classify): each gives a verdict, or a clear
// error, within the test timeout; never a crash or a hang. Nothing here is timed: the bounds are what is tested.
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { classify, compileRules, parseMime, type Verdict } from '../../src/classifier/index.js';
import { packsIn } from './fixture-rules.js';

const rules = compileRules([...packsIn('basic'), ...packsIn('golden')]);

async function screen(raw: Buffer | string): Promise<Verdict> {
  return classify(await parseMime(raw), rules);
}

function expectVerdict(verdict: Verdict): void {
  expect(['pass', 'tag', 'hold']).toContain(verdict.action);
  expect(Number.isFinite(verdict.score)).toBe(true);
  for (const f of verdict.findings) expect(verdict.parts[f.partIndex]?.text.slice(f.start, f.end)).toBe(f.text);
}

const HEAD = 'From: a@oakfield.sch.uk\r\nTo: sam@pupils.oakfield.sch.uk\r\nSubject: test\r\nMIME-Version: 1.0\r\n';

describe('bad input through the whole pipeline', () => {
  test('binary garbage gives a verdict', async () => {
    expectVerdict(await screen(randomBytes(256 * 1024)));
  });

  test('binary garbage after valid headers gives a verdict', async () => {
    expectVerdict(await screen(Buffer.concat([Buffer.from(`${HEAD}\r\n`), randomBytes(256 * 1024)])));
  });

  test('an empty message passes with nothing found', async () => {
    const verdict = await screen('');
    expectVerdict(verdict);
    expect(verdict.findings).toEqual([]);
  });

  test('headers and no body passes', async () => {
    expectVerdict(await screen(`${HEAD}\r\n`));
  });

  test('a 50 MB line is screened in part and held, not passed unread', async () => {
    const body = 'a'.repeat(50 * 1024 * 1024);
    const verdict = await screen(`${HEAD}Content-Type: text/plain\r\n\r\n${body} our secret`);
    expectVerdict(verdict);
    expect(verdict.action).toBe('hold');
    expect(verdict.problems.length).toBeGreaterThan(0);
  }, 60_000);

  test('100 levels of MIME nesting give a verdict, and do not hide the text inside', async () => {
    let raw = `${HEAD}Content-Type: multipart/mixed; boundary="b0"\r\n\r\n`;
    for (let i = 1; i <= 100; i++) raw += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n`;
    raw += `--b100\r\nContent-Type: text/plain\r\n\r\nthis is our secret\r\n`;
    for (let i = 100; i >= 0; i--) raw += `--b${i}--\r\n`;
    const verdict = await screen(raw);
    expectVerdict(verdict);
    // Deep nesting must not hide what is inside: found, or held as unreadable.
    expect(verdict.action).toBe('hold');
  });

  test('an unknown charset is held with a problem', async () => {
    const verdict = await screen(`${HEAD}Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nhello there\r\n`);
    expectVerdict(verdict);
    expect(verdict.action).toBe('hold');
    expect(verdict.problems.join(' ')).toMatch(/charset|character set/i);
  });

  test('a body of the same anchor sentence repeated costs one NLP run', () => {
    expectVerdict(classify('meet after the school gates! '.repeat(20_000), rules));
  });

  test('a body of nothing but anchor words is bounded by the NLP budget', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `meet after the school gate ${i}!`).join(' ');
    const verdict = classify(text, rules);
    expectVerdict(verdict);
    expect(verdict.action).toBe('hold');
  });

  test('a 1 MB body of ordinary text gives a verdict', () => {
    const paragraph = 'The coach leaves at nine on Friday; please bring a packed lunch and a coat. ';
    expectVerdict(classify(paragraph.repeat(Math.ceil(1_048_576 / paragraph.length)).slice(0, 1_048_576), rules));
  });

  test('lone surrogates, NULs and control characters do not break offsets', () => {
    const text = '\ud800 our\u0000 secret \udfff\u0007 xx \u202e';
    const verdict = classify(text, rules);
    expectVerdict(verdict);
  });

  test.each([
    ['NULs in the plain text', `${HEAD}Content-Type: text/plain\r\n\r\nthis is o\0u\0r s\0e\0c\0r\0e\0t\r\n`],
    [
      'other control characters in the plain text',
      `${HEAD}Content-Type: text/plain\r\n\r\nthis is our se\u0001cr\u007fet\r\n`,
    ],
    ['NULs in the HTML body', `${HEAD}Content-Type: text/html\r\n\r\n<p>this is our s\0e\0c\0r\0e\0t</p>\r\n`],
    [
      'character references to NUL in the HTML body',
      `${HEAD}Content-Type: text/html\r\n\r\n<p>this is our s&#0;e&#0;cret</p>\r\n`,
    ],
  ])('finds a phrase whose letters are split by %s, which a mail client shows whole', async (_, raw) => {
    const verdict = await screen(raw);
    expect(verdict.findings.map((f) => f.rule)).toContain('fixture-secret');
    expectVerdict(verdict);
  });

  test('an HTML part of 100,000 nested tags gives a verdict', () => {
    const html = '<div>'.repeat(100_000) + 'our secret' + '</div>'.repeat(100_000);
    expectVerdict(classify({ html }, rules));
  });
});
