import { describe, expect, test } from 'vitest';
import { classify, MAX_FINDINGS_PER_RULE, MAX_SCREENED_CHARS_PER_PART } from '../../src/classifier/index.js';
import { compileYaml, fixtureRules, rule } from './fixture-rules.js';

const rules = fixtureRules();

describe('classify', () => {
  test('passes clean mail with no findings and no problems', () => {
    const verdict = classify(
      { subject: 'Trip on Friday', text: 'Dear parents,\nThe coach leaves at 9.\nMr Smith' },
      rules,
    );
    expect(verdict).toMatchObject({ action: 'pass', score: 0, categories: [], findings: [], problems: [] });
    expect(verdict.parts.map((p) => p.kind)).toContain('subject');
  });

  test('holds mail to a pupil that asks them to keep a secret, with the exact span and the guidance', () => {
    const text = 'Hi Sam,\nThanks for today. This is our little secret.\nMr Smith';
    const verdict = classify({ text }, rules);
    expect(verdict.action).toBe('hold');
    const [finding] = verdict.findings;
    expect(finding).toMatchObject({
      rule: 'fixture-secret',
      category: 'personal-content',
      severity: 'high',
      text: 'our little secret',
      part: 'body',
      score: 10,
      guidance: 'Confidentiality',
      explain: 'Asks the child to keep a secret.',
      advice: 'Take out the request for secrecy.',
    });
    const part = verdict.parts[finding?.partIndex ?? -1];
    expect(part?.text.slice(finding?.start, finding?.end)).toBe('our little secret');
  });

  test('screens the subject line', () => {
    const verdict = classify({ subject: 'Our secret', text: 'See attached.' }, rules);
    expect(verdict.findings).toMatchObject([{ rule: 'fixture-secret', part: 'subject', text: 'Our secret' }]);
  });

  test('a rule limited to some parts does not screen the others', () => {
    const verdict = classify({ subject: 'My personal number', text: 'Hello' }, rules);
    expect(verdict.findings).toEqual([]);
  });

  test('never screens the quoted reply: a pupil’s words are not the sender’s', () => {
    const text = 'Thanks, see you in class.\n\nOn Mon, 3 Mar 2025, Sam wrote:\n> this is our little secret\n> xx\n';
    const verdict = classify({ text }, rules);
    expect(verdict.parts.some((p) => p.kind === 'quoted')).toBe(true);
    expect(verdict.findings).toEqual([]);
  });

  test('finds text in the HTML alternative and maps it to the HTML source', () => {
    const html = '<p>Hi Sam,</p><p>This is <b>our</b> little secret.</p>';
    const verdict = classify({ html }, rules);
    const [finding] = verdict.findings;
    expect(finding).toMatchObject({ rule: 'fixture-secret', part: 'html', normalised: 'our little secret' });
    const part = verdict.parts[finding?.partIndex ?? -1];
    expect(part?.text.slice(finding?.start, finding?.end)).toBe('our</b> little secret');
  });

  test('a signature cut from HTML is rendered before it is read, and mapped back to the HTML source', () => {
    const html = '<p>Hi Sam</p><div class="gmail_signature">Mr Smith<br>call <b>my personal</b> number</div>';
    const verdict = classify({ html }, rules);
    const [finding] = verdict.findings;
    expect(finding).toMatchObject({
      rule: 'fixture-private-number',
      part: 'signature',
      normalised: 'my personal number',
    });
    const part = verdict.parts[finding?.partIndex ?? -1];
    expect(part?.source).toBe('html');
    expect(part?.text.slice(finding?.start, finding?.end)).toBe('my personal</b> number');
  });

  test('the same finding in text/plain and HTML alternatives is reported once', () => {
    const verdict = classify({ text: 'This is our little secret.', html: '<p>This is our little secret.</p>' }, rules);
    expect(verdict.findings.filter((f) => f.rule === 'fixture-secret')).toHaveLength(1);
    expect(verdict.score).toBe(10);
  });

  test('screens attachment names', () => {
    const verdict = classify({ text: 'Here you go', attachmentNames: ['our secret.docx'] }, rules);
    expect(verdict.findings).toMatchObject([{ part: 'attachment-name', text: 'our secret' }]);
  });

  test('rules that do not apply to the recipient class are skipped', () => {
    const text = "Don't tell your mum.";
    expect(classify(text, rules, { recipientClass: 'pupil' }).findings).toHaveLength(1);
    expect(classify(text, rules, { recipientClass: 'parent' }).findings).toEqual([]);
    expect(classify(text, rules, { recipientClass: 'staff' }).findings).toEqual([]);
  });

  test('only the categories asked for are screened', () => {
    const verdict = classify('Our secret xx', rules, { categories: ['suggestive'] });
    expect(verdict.findings.map((f) => f.rule)).toEqual(['fixture-kisses']);
  });

  test('problems from MIME parsing hold the message', () => {
    const verdict = classify({ text: 'hello', problems: ['The message could not be fully read.'] }, rules);
    expect(verdict).toMatchObject({ action: 'hold', score: 0, problems: ['The message could not be fully read.'] });
  });

  test('a rule matching too often is cut off at the bound and holds the message', () => {
    const many = compileYaml(rule('word', 'words: [banana]'));
    const verdict = classify('banana '.repeat(MAX_FINDINGS_PER_RULE * 3), many);
    expect(verdict.findings).toHaveLength(MAX_FINDINGS_PER_RULE);
    expect(verdict.action).toBe('hold');
    expect(verdict.problems[0]).toContain('more than 50 times');
  });

  test('a part longer than the screening bound is screened in part and held', () => {
    const text = 'a '.repeat(MAX_SCREENED_CHARS_PER_PART) + 'our secret';
    const verdict = classify(text, rules);
    expect(verdict.findings).toEqual([]);
    expect(verdict.action).toBe('hold');
    expect(verdict.problems.join(' ')).toContain('only the start was checked');
  });

  test('a plain string is the body of a message with no subject', () => {
    const verdict = classify('our secret', rules);
    expect(verdict.parts).toMatchObject([{ kind: 'body', source: 'text', offset: 0, text: 'our secret' }]);
  });

  test('de-obfuscated text is matched and the normalised reading is reported', () => {
    const obfuscated = compileYaml(rule('address', "pattern: '[a-z]+@gmail\\.com'"));
    const verdict = classify('mail me: sam at gmail dot com', obfuscated);
    expect(verdict.findings).toMatchObject([{ text: 'sam at gmail dot com', normalised: 'sam@gmail.com' }]);
  });
});

/** The fixture rules with fixture-kisses's matcher replaced by `find` (a fault of ours in one rule). */
function withKissesMatcher(find: () => { start: number; end: number }[]): ReturnType<typeof fixtureRules> {
  const rules = fixtureRules();
  return {
    ...rules,
    rules: rules.rules.map((r) => (r.id === 'fixture-kisses' ? { ...r, matcher: { find } } : r)),
  };
}

describe('a rule that fails', () => {
  test('holds the message with a problem naming the rule, and the other rules still run', () => {
    const broken = withKissesMatcher(() => {
      throw new Error('detector fault');
    });
    const verdict = classify('This is our secret xx', broken);
    expect(verdict.action).toBe('hold');
    expect(verdict.problems).toEqual([
      'Rule fixture-kisses could not check the body (internal error: detector fault), so a person should read it.',
    ]);
    expect(verdict.findings.map((f) => f.rule)).toEqual(['fixture-secret']);
  });

  test('gives none of the findings it made before failing, and fails again on an HTML alternative of its part', () => {
    // One good span, then one the engine cannot read.
    const broken = withKissesMatcher(() => [{ start: 0, end: 4 }, null as unknown as { start: number; end: number }]);
    const verdict = classify({ text: 'This is our secret xx', html: '<p>This is our secret xx</p>' }, broken);
    expect(verdict.action).toBe('hold');
    expect(verdict.problems).toHaveLength(2);
    expect(verdict.problems[0]).toMatch(/^Rule fixture-kisses could not check the body \(internal error: /);
    expect(verdict.problems[1]).toMatch(/^Rule fixture-kisses could not check the message \(internal error: /);
    expect(verdict.findings.map((f) => [f.rule, f.part])).toEqual([['fixture-secret', 'body']]);
  });
});
