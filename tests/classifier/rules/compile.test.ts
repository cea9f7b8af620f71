import { describe, expect, test } from 'vitest';
import { classify, RuleFileError } from '../../../src/classifier/index.js';
import { compileYaml, rule } from '../fixture-rules.js';

function compileError(yaml: string): RuleFileError {
  try {
    compileYaml(yaml);
  } catch (error) {
    if (error instanceof RuleFileError) return error;
    throw error;
  }
  throw new Error('expected a RuleFileError');
}

describe('compiling rules', () => {
  test('a phrase whose required words are all very common is refused, saying why', () => {
    const error = compileError(rule('common', "phrase: 'you (are|were) the'"));
    expect(error.line).toBe(5);
    expect(error.problem).toContain('every required word');
    expect(error.problem).toContain('very common');
    expect(error.problem).toContain('NLP layer');
  });

  test('a phrase of only tags and wildcards is refused', () => {
    const error = compileError(rule('tags', "phrase: '#Adjective #Noun'"));
    expect(error.problem).toContain('no required word');
  });

  test('an optional rare word does not make a phrase cheap', () => {
    const error = compileError(rule('optional', "phrase: 'you are [gorgeous]? to me'"));
    expect(error.problem).toContain('very common');
  });

  test('a phrase with one rare required word compiles', () => {
    expect(() => compileYaml(rule('rare', "phrase: 'you are gorgeous'"))).not.toThrow();
  });

  test('a phrase with an unmatched bracket is refused instead of silently never matching', () => {
    expect(compileError(rule('b', 'phrase: "(don\'t|never tell"')).problem).toContain('unmatched bracket');
    expect(compileError(rule('b', "phrase: 'tell [your mum'")).problem).toContain('a [ has no matching ]');
  });

  test('an unknown detector is an error with the known names', () => {
    const error = compileError(rule('det', 'detector: { name: phon }'));
    expect(error.problem).toContain('there is no detector "phon"');
    expect(error.line).toBe(5);
  });

  test('an unless pattern re2 refuses is an error at its line', () => {
    const error = compileError(rule('u', "pattern: 'secret'", "    unless:\n      - pattern: '(?<!x)y'\n"));
    expect(error.line).toBe(10);
    expect(error.problem).toContain('unless: re2 cannot compile');
  });

  test('a words entry of punctuation only is refused', () => {
    const error = compileError(rule('p', "words: ['gorgeous', ':*']"));
    expect(error.line).toBe(5);
    expect(error.problem).toContain('":*" has no letters');
  });

  test('an unless entry with two matchers is refused', () => {
    const error = compileError(rule('u2', "pattern: 'secret'", "    unless:\n      - { pattern: 'a', words: [b] }\n"));
    expect(error.problem).toContain('exactly one of pattern, phrase or words');
  });

  test('a catastrophic-backtracking pattern runs on re2 in linear time and still matches', () => {
    const rules = compileYaml(rule('nested', "pattern: '(a+)+$'"));
    const hostile = 'a'.repeat(200_000) + '!';
    expect(classify(hostile, rules).findings).toEqual([]);
    const verdict = classify('a'.repeat(200_000), rules);
    expect(verdict.findings[0]?.end).toBe(200_000);
  });

  test('compiled rules carry their file, line and a summary of the matcher', () => {
    const rules = compileYaml(rule('one', "pattern: 'secret'"), 'packs/a.yaml');
    expect(rules.rules[0]).toMatchObject({
      id: 'one',
      file: 'packs/a.yaml',
      line: 2,
      kind: 'pattern',
      summary: 'secret',
    });
  });
});

describe('detector options', () => {
  test('an unknown option is an error at its line with the options the detector has', () => {
    const error = compileError(rule('d', 'detector:\n      name: phone\n      typs: [mobile]'));
    expect(error.line).toBe(7);
    expect(error.problem).toContain('detector phone has no option "typs" (did you mean "types"?)');
  });

  test('a bad option value names the option', () => {
    const error = compileError(rule('d', 'detector:\n      name: phone\n      types: [mobil]'));
    expect(error.line).toBe(7);
    expect(error.problem).toContain('detector phone types.0: must be one of');
  });

  test('detector options are filled in with their defaults and used', () => {
    const rules = compileYaml(rule('d', 'detector: { name: phone, types: [mobile] }'));
    expect(classify('ring 07700 900123', rules).findings[0]?.detail).toMatchObject({ numberType: 'mobile' });
    expect(classify('ring 01632 960123', rules).findings).toEqual([]);
  });
});
