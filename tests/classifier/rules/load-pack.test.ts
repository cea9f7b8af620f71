import { describe, expect, test } from 'vitest';
import { compileRules, RuleFileError } from '../../../src/classifier/index.js';
import { loadPack } from '../../../src/classifier/rules/load-pack.js';

function errorOf(text: string, file = 'packs/school.yaml'): RuleFileError {
  try {
    compileRules([{ file, text }]);
  } catch (error) {
    if (error instanceof RuleFileError) return error;
    throw error;
  }
  throw new Error('expected a RuleFileError');
}

const GOOD = `rules:
  - id: good-rule
    category: suggestive
    severity: low
    words: [gorgeous]
    guidance: Sexual conduct
    explain: A comment on looks.
    advice: Keep comments to work.
`;

describe('loading a rule pack', () => {
  test('reads a valid pack with defaults filled in', () => {
    const pack = loadPack('p.yaml', GOOD);
    const first = pack.rules[0];
    expect(first?.disabled).toBe(false);
    if (first && !first.disabled) {
      expect(first.spec.recipients).toEqual(['pupil', 'parent']);
      expect(first.spec.parts).not.toContain('quoted');
      expect(first.spec.negation).toBe('keep');
      expect(first.source.line).toBe(2);
    }
  });

  test('an empty file is a pack with no rules', () => {
    expect(loadPack('empty.yaml', '').rules).toEqual([]);
  });

  test('bad YAML names the file, line and column', () => {
    const error = errorOf('rules:\n  - id: x\n    category: [unclosed\n');
    expect(error.file).toBe('packs/school.yaml');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/^packs\/school\.yaml:\d+:\d+: YAML syntax/);
  });

  test('an unknown key is an error at its line with a did-you-mean', () => {
    const error = errorOf(GOOD.replace('    guidance:', '    severty: high\n    guidance:'));
    expect(error.line).toBe(6);
    expect(error.column).toBe(5);
    expect(error.problem).toContain('unknown key "severty"');
    expect(error.problem).toContain('did you mean "severity"?');
    expect(error.snippet).toBe('    severty: high');
  });

  test('an unknown key inside context suggests the context keys', () => {
    const error = errorOf(GOOD.replace('    guidance:', '    context:\n      raize: [x]\n    guidance:'));
    expect(error.line).toBe(7);
    expect(error.problem).toContain('did you mean "raise"?');
  });

  test('a misspelt category says which values are allowed', () => {
    const error = errorOf(GOOD.replace('category: suggestive', 'category: sugestive'));
    expect(error.line).toBe(3);
    expect(error.problem).toContain('"sugestive" is not one of contact-details, personal-content, suggestive');
    expect(error.problem).toContain('did you mean "suggestive"?');
  });

  test('a missing required key names the rule', () => {
    const error = errorOf(GOOD.replace('    explain: A comment on looks.\n', ''));
    expect(error.problem).toBe('rule "good-rule": missing "explain"');
    expect(error.line).toBe(2);
  });

  test('a rule with no matcher is an error', () => {
    const error = errorOf(GOOD.replace('    words: [gorgeous]\n', ''));
    expect(error.problem).toContain('needs one matcher: pattern, phrase, words or detector');
  });

  test('a rule with two matchers is an error at the second', () => {
    const error = errorOf(GOOD.replace('    words: [gorgeous]\n', "    words: [gorgeous]\n    pattern: 'x'\n"));
    expect(error.problem).toContain('has pattern and words');
  });

  test('a pattern re2 refuses (lookahead) names the rule and the line of the pattern', () => {
    const error = errorOf(GOOD.replace('    words: [gorgeous]', "    pattern: 'meet(?= me)'"));
    expect(error.line).toBe(5);
    expect(error.problem).toContain('rule "good-rule": re2 cannot compile the pattern');
    expect(error.problem).toContain('no backreferences or lookaround');
  });

  test('a pattern with a backreference is refused', () => {
    const error = errorOf(GOOD.replace('    words: [gorgeous]', "    pattern: '(a)\\1'"));
    expect(error.line).toBe(5);
    expect(error.problem).toContain('re2 cannot compile');
  });

  test('a pattern that matches empty text is refused', () => {
    const error = errorOf(GOOD.replace('    words: [gorgeous]', "    pattern: 'x*'"));
    expect(error.problem).toContain('matches empty text');
  });

  test('a duplicate id across packs names both places', () => {
    let error: unknown;
    try {
      compileRules([
        { file: 'a.yaml', text: GOOD },
        { file: 'b.yaml', text: GOOD },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleFileError);
    const e = error as RuleFileError;
    expect(e.file).toBe('b.yaml');
    expect(e.line).toBe(2);
    expect(e.problem).toBe('duplicate rule id "good-rule": already used at a.yaml:2');
  });

  test('an id with capitals is refused', () => {
    const error = errorOf(GOOD.replace('id: good-rule', 'id: Good_Rule'));
    expect(error.line).toBe(2);
    expect(error.problem).toContain('lower-case letters, digits and dashes');
  });

  test('asking to screen quoted parts is refused', () => {
    const error = errorOf(GOOD.replace('    guidance:', '    parts: [body, quoted]\n    guidance:'));
    expect(error.problem).toContain('parts.1');
  });

  test('an unknown top-level key suggests rules', () => {
    const error = errorOf('rulez: []\n');
    expect(error.problem).toContain('did you mean "rules"?');
    expect(error.line).toBe(1);
  });

  test('disabled rules belong in local packs only', () => {
    const error = errorOf('rules:\n  - id: x\n    disabled: true\n');
    expect(error.problem).toContain('belongs in a local pack');
  });

  test('examples remember their own lines', () => {
    const text = `${GOOD}    examples:\n      flag:\n        - 'you look gorgeous'\n      pass:\n        - 'the garden is gorgeous'\n`;
    const compiled = compileRules([{ file: 'p.yaml', text }]);
    expect(compiled.rules[0]?.examples.flag[0]).toMatchObject({ line: 11, column: 11 });
    expect(compiled.rules[0]?.examples.pass[0]).toMatchObject({ line: 13 });
  });
});
