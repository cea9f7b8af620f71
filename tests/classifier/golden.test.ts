// Whole messages, real MIME, through parseMime and classify with the fixture packs: each .eml in
// tests/fixtures/golden has a .json beside it with the expected verdict. GOLDEN_UPDATE=1 rewrites them
// (then read the diff before committing it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { classify, compileRules, parseMime, type Verdict } from '../../src/classifier/index.js';
import { packsIn } from './fixture-rules.js';

const GOLDEN = path.resolve(import.meta.dirname, '../fixtures/golden');
const rules = compileRules([...packsIn('basic'), ...packsIn('golden')]);
const organisation = { name: 'Oakfield Academy', domains: ['oakfield.sch.uk'], phones: ['01632 960000'], accounts: [] };

/** The parts of a verdict that matter to a reader, without the long explain/advice texts. */
function summary(verdict: Verdict) {
  return {
    action: verdict.action,
    score: verdict.score,
    categories: verdict.categories,
    findings: verdict.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      part: f.part,
      text: f.text,
      start: f.start,
      end: f.end,
      ...(f.normalised !== undefined ? { normalised: f.normalised } : {}),
      ...(f.detail !== undefined ? { detail: f.detail } : {}),
      score: f.score,
    })),
    problems: verdict.problems,
  };
}

describe('golden messages', () => {
  const files = readdirSync(GOLDEN).filter((n) => n.endsWith('.eml'));

  test.each(files)('%s', async (name) => {
    const input = await parseMime(readFileSync(path.join(GOLDEN, name)));
    const verdict = classify(input, rules, { organisation });
    for (const f of verdict.findings) {
      expect(verdict.parts[f.partIndex]?.text.slice(f.start, f.end)).toBe(f.text);
    }
    const expectedFile = path.join(GOLDEN, name.replace(/\.eml$/, '.json'));
    const actual = summary(verdict);
    if (process.env.GOLDEN_UPDATE === '1' || !existsSync(expectedFile)) {
      writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });
});
