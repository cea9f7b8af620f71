import { describe, expect, test } from 'vitest';
import { classify, SEVERITY_POINTS } from '../../src/classifier/index.js';
import { actionFor, scoreFindings } from '../../src/classifier/score.js';
import { fixtureRules } from './fixture-rules.js';

const finding = (rule: string, severity: 'low' | 'medium' | 'high', text: string) => ({
  rule,
  category: 'suggestive' as const,
  severity,
  text,
  start: 0,
  end: text.length,
  part: 'body' as const,
  partIndex: 0,
  explain: '',
  advice: '',
  guidance: '',
});

describe('scoring', () => {
  test('severities are worth 2, 5 and 10 points', () => {
    expect(SEVERITY_POINTS).toEqual({ low: 2, medium: 5, high: 10 });
  });

  test('a repeat of the same rule on the same text scores nothing, the most severe copy counts', () => {
    const scored = scoreFindings([finding('k', 'low', 'xx'), finding('k', 'medium', 'XX'), finding('k', 'low', 'xxx')]);
    expect(scored.map((f) => f.score)).toEqual([0, 5, 2]);
  });

  test('actions follow the thresholds: pass below tag, tag below hold, hold at or above hold', () => {
    const t = { tag: 2, hold: 5 };
    expect(actionFor(0, t, [])).toBe('pass');
    expect(actionFor(1, t, [])).toBe('pass');
    expect(actionFor(2, t, [])).toBe('tag');
    expect(actionFor(4, t, [])).toBe('tag');
    expect(actionFor(5, t, [])).toBe('hold');
  });

  test('a problem holds whatever the score', () => {
    expect(actionFor(0, { tag: 2, hold: 5 }, ['unreadable'])).toBe('hold');
  });

  test('a message signed off with kisses is tagged; one asking for secrecy is held', () => {
    const rules = fixtureRules();
    expect(classify('See you tomorrow xx', rules)).toMatchObject({
      action: 'tag',
      score: 2,
      categories: ['suggestive'],
    });
    expect(classify('This is our little secret xx', rules)).toMatchObject({
      action: 'hold',
      score: 12,
      categories: ['personal-content', 'suggestive'],
    });
  });

  test('thresholds from the options apply', () => {
    const verdict = classify('See you tomorrow xx', fixtureRules(), { thresholds: { tag: 1, hold: 2 } });
    expect(verdict.action).toBe('hold');
  });
});
