import { describe, expect, test } from 'vitest';
import { classify, compileRules } from '../../../src/classifier/index.js';
import { packsIn } from '../fixture-rules.js';

describe('merging local packs over shipped ones', () => {
  const rules = compileRules(packsIn('basic'), { local: packsIn('local') });
  const ids = rules.rules.map((r) => r.id);

  test('a local rule with a shipped id replaces the shipped rule', () => {
    const secret = rules.rules.find((r) => r.id === 'fixture-secret');
    expect(secret?.local).toBe(true);
    expect(secret?.severity).toBe('medium');
    expect(secret?.explain).toBe('Local version of the secret rule.');
    expect(ids.filter((id) => id === 'fixture-secret')).toHaveLength(1);
  });

  test('disabled: true switches a shipped rule off', () => {
    expect(ids).not.toContain('fixture-kisses');
    expect(classify('See you tomorrow xx', rules).findings).toEqual([]);
  });

  test('new local rules are added and shipped rules left alone', () => {
    expect(ids).toContain('oakfield-nickname');
    expect(ids).toContain('fixture-meet');
    expect(rules.rules.find((r) => r.id === 'fixture-meet')?.local).toBe(false);
  });

  test('disabling an id that no pack has is a warning with a suggestion, not an error', () => {
    const merged = compileRules(packsIn('basic'), {
      local: [{ file: 'local.yaml', text: 'rules:\n  - id: fixture-kises\n    disabled: true\n' }],
    });
    expect(merged.warnings).toEqual([
      'local.yaml:2: disables "fixture-kises", but no shipped rule has that id (did you mean "fixture-kisses"?)',
    ]);
  });

  test('a duplicate id among local packs is an error', () => {
    const local = { file: 'l.yaml', text: 'rules:\n  - id: a\n    disabled: true\n  - id: a\n    disabled: true\n' };
    expect(() => compileRules(packsIn('basic'), { local: [local] })).toThrow(/l\.yaml:4:\d+: duplicate rule id "a"/);
  });
});
