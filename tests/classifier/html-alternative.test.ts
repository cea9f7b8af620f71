import { describe, expect, test } from 'vitest';
import { classify, MAX_FINDINGS_PER_RULE } from '../../src/classifier/index.js';
import { compileYaml, fixtureRules, rule } from './fixture-rules.js';

const rules = fixtureRules();

describe('an HTML alternative that repeats the plain text', () => {
  test('an HTML alternative that says more than its plain text still gives the extra finding', () => {
    const verdict = classify(
      {
        text: 'Hi Sam,\nSee you on Friday.',
        html: '<p>Hi Sam,<br>See you on Friday.</p><p>This is our little secret.</p>',
      },
      rules,
    );
    expect(verdict.findings).toMatchObject([{ rule: 'fixture-secret', part: 'html', score: 10 }]);
    expect(verdict.action).toBe('hold');
  });

  test('an HTML alternative saying the same as its plain text adds nothing to the findings or the score', () => {
    const text = 'Hi Sam,\nThis is our little secret.';
    const alone = classify({ text }, rules);
    const both = classify({ text, html: '<p>Hi Sam,<br>This is <b>our</b> little secret.</p>' }, rules);
    expect(both.parts.map((p) => p.kind)).toEqual(['body', 'html']);
    expect(both.findings).toEqual(alone.findings);
    expect(both.score).toBe(alone.score);
  });

  test('a rule hitting its bound in both alternatives is reported for both', () => {
    const many = compileYaml(rule('word', 'words: [banana]'));
    const text = 'banana '.repeat(MAX_FINDINGS_PER_RULE * 2).trim();
    const verdict = classify({ text, html: `<p>${text}</p>` }, many);
    expect(verdict.problems).toEqual([
      `Rule word matched the body more than ${MAX_FINDINGS_PER_RULE} times; only the first ${MAX_FINDINGS_PER_RULE} are listed.`,
      `Rule word matched the message more than ${MAX_FINDINGS_PER_RULE} times; only the first ${MAX_FINDINGS_PER_RULE} are listed.`,
    ]);
  });

  test('a rule for HTML parts only still screens an HTML alternative that repeats the plain text', () => {
    const htmlOnly = compileYaml(rule('html-secret', 'words: [secret]', '    parts: [html]\n'));
    const text = 'This is our little secret.';
    const verdict = classify({ text, html: `<p>${text}</p>` }, htmlOnly);
    expect(verdict.findings).toMatchObject([{ rule: 'html-secret', part: 'html', text: 'secret' }]);
  });
});
