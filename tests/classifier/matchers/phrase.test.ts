import { describe, expect, test } from 'vitest';
import { classify } from '../../../src/classifier/index.js';
import { NlpBudget, ScreenText } from '../../../src/classifier/matchers/screen-text.js';
import { inflections } from '../../../src/classifier/matchers/phrase.js';
import { normalise } from '../../../src/classifier/normalise.js';
import { compileYaml, rule } from '../fixture-rules.js';

const found = (text: string, rules: ReturnType<typeof compileYaml>) =>
  classify(text, rules).findings.map((f) => f.text);

describe('phrase matcher', () => {
  test('{lemma} matches every inflection of the word', () => {
    const rules = compileYaml(rule('meet', "phrase: '{meet} (me|up)? after school'"));
    expect(found('We could meet after school.', rules)).toEqual(['meet after school']);
    expect(found('Meeting up after school?', rules)).toEqual(['Meeting up after school']);
    expect(found('We met after school.', rules)).toEqual(['met after school']);
    expect(found('He meets me after school', rules)).toEqual(['meets me after school']);
    expect(found('After school we have club.', rules)).toEqual([]);
    expect(found('We could  meet\n  after   school today', rules)).toEqual(['meet\n  after   school']);
  });

  test('inflections are worked out at compile time from compromise', () => {
    expect(inflections('meet')).toEqual(expect.arrayContaining(['meet', 'meets', 'meeting', 'met']));
    expect(inflections('gift')).toEqual(expect.arrayContaining(['gift', 'gifts']));
  });

  test('contractions in alternations match contracted and spelled-out text', () => {
    const rules = compileYaml(rule('tell', 'phrase: "(don\'t|never) tell (your|ur)? (mum|dad)"'));
    expect(found("Don't tell your mum", rules)).toEqual(["Don't tell your mum"]);
    expect(found('do not tell your dad', rules)).toEqual(['do not tell your dad']);
    expect(found('dont tell ur mum', rules)).toEqual(['dont tell ur mum']);
    expect(found('never tell mum', rules)).toEqual(['never tell mum']);
    expect(found('tell your mum', rules)).toEqual([]);
  });

  test("you're is read as you are", () => {
    const rules = compileYaml(rule('mature', "phrase: 'you are (so|very)? mature for your age'"));
    expect(found("You're so mature for your age", rules)).toEqual(["You're so mature for your age"]);
  });

  test('a choice of words matches the word itself, including the "are" inside "you\'re" and a past "were"', () => {
    const rules = compileYaml(
      rule('look', "phrase: '(you|u) (are|r|were)? (looking|lookin) (so|really)? (gorgeous|stunning)'"),
    );
    expect(found("you're looking so gorgeous", rules)).toEqual(["you're looking so gorgeous"]);
    expect(found('you were looking really stunning', rules)).toEqual(['you were looking really stunning']);
    expect(found('u r lookin gorgeous', rules)).toEqual(['u r lookin gorgeous']);
    expect(found('you are looked gorgeous', rules)).toEqual([]);
  });

  test('#Tags work (full tagging runs only for phrases that use them)', () => {
    const rules = compileYaml(rule('adj', "phrase: 'you look #Adjective tonight'"));
    expect(found('you look lovely tonight', rules)).toEqual(['you look lovely tonight']);
  });

  test('negation: skip drops a match inside a negated clause', () => {
    const rules = compileYaml(rule('secret', "phrase: 'keep (a|this|it)? secret'", '    negation: skip\n'));
    expect(found('I would never ask you to keep a secret', rules)).toEqual([]);
    expect(found("I don't want you to keep a secret", rules)).toEqual([]);
    expect(found('Please keep this secret', rules)).toEqual(['keep this secret']);
    expect(found('I never said that, but keep this secret', rules)).toEqual(['keep this secret']);
  });

  test('without negation: skip a negated match is kept', () => {
    const rules = compileYaml(rule('secret', "phrase: 'keep (a|this|it)? secret'"));
    expect(found('I would never ask you to keep a secret', rules)).toEqual(['keep a secret']);
  });

  test('a term regex runs on re2', () => {
    const rules = compileYaml(rule('rx', "phrase: 'snap /^[a-z0-9_.]{3,15}$/'", ''));
    expect(found('add me on snap sam_99', rules)).toEqual(['snap sam_99']);
  });

  test('compromise runs only on sentences holding every anchor, once per sentence for all phrases', () => {
    const rules = compileYaml(
      rule('a', "phrase: '{meet} after school'") + rule('b', "phrase: 'after school (alone|secretly)'"),
    );
    const text = [
      'The school trip is on Friday.',
      'Please meet the coach at nine.',
      'We could meet after school alone.',
      'Homework is due after school on Monday.',
    ].join(' ');
    const screen = new ScreenText(normalise(text), rules.tables, new NlpBudget(100));
    const context = { organisation: { domains: [], phones: [], accounts: [] }, limit: 50 };
    for (const r of rules.rules) r.matcher.find(screen, context);
    // Only sentence 3 holds both "meet" and "school"; "after school alone" is in sentence 3 too.
    expect(screen.budget.used).toBe(1);
  });

  test('the HTML alternative repeating the plain text costs no more NLP', () => {
    const rules = compileYaml(rule('a', "phrase: '{meet} after school'"));
    const budget = new NlpBudget(100);
    const context = { organisation: { domains: [], phones: [], accounts: [] }, limit: 50 };
    const plain = new ScreenText(normalise('Shall we meet after school?'), rules.tables, budget);
    const rendered = new ScreenText(normalise('Shall we meet after school?\n'), rules.tables, budget);
    expect(rules.rules[0]?.matcher.find(plain, context)).toHaveLength(1);
    expect(rules.rules[0]?.matcher.find(rendered, context)).toHaveLength(1);
    expect(budget.used).toBe(1);
  });

  test('when the NLP budget is spent the message is held with a problem', () => {
    const rules = compileYaml(rule('a', "phrase: '{meet} after school'"));
    const text = Array.from({ length: 300 }, (_, i) => `Can we meet after the school bus ${i}?`).join(' ');
    const verdict = classify(text, rules);
    expect(verdict.action).toBe('hold');
    expect(verdict.problems.join(' ')).toContain('more sentences to read closely than can be checked');
  });
});
