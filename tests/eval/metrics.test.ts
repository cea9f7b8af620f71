import { describe, expect, it } from 'vitest';
import type { Category } from '../../src/classifier/types.js';
import type { CorpusMessage } from '../../src/eval/corpus-record.js';
import { categoryScore, gateFailures, quantile, scoreCorpus, type Screened } from '../../src/eval/metrics.js';
import type { ScreenOutcome } from '../../src/eval/screen-outcome.js';

function message(id: string, expect: Category[]): CorpusMessage {
  return {
    id,
    file: 'set/file.yaml',
    line: 1,
    set: 'set',
    expect,
    note: id,
    to: 'pupil',
    encoding: 'plain',
    raw: Buffer.from(''),
    body: '',
  };
}

function outcome(action: ScreenOutcome['action'], categories: Category[]): ScreenOutcome {
  return {
    action,
    findings: categories.map((category) => ({ rule: `rule-${category}`, category, text: 'x' })),
    problems: [],
  };
}

function screened(id: string, expect: Category[], action: ScreenOutcome['action'], found: Category[]): Screened {
  return { message: message(id, expect), outcome: outcome(action, found) };
}

describe('categoryScore', () => {
  it('computes precision, recall and F1 from true positives, false positives and false negatives', () => {
    const score = categoryScore(8, 2, 2);
    expect(score.precision).toBeCloseTo(0.8);
    expect(score.recall).toBeCloseTo(0.8);
    expect(score.f1).toBeCloseTo(0.8);
    expect(score.support).toBe(10);
  });

  it('gives F1 as the harmonic mean when precision and recall differ', () => {
    const score = categoryScore(1, 0, 3);
    expect(score.precision).toBe(1);
    expect(score.recall).toBe(0.25);
    expect(score.f1).toBeCloseTo(0.4);
  });

  it('scores precision 0 when nothing was flagged but there was something to find', () => {
    expect(categoryScore(0, 0, 5)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('scores a category with nothing labelled and nothing flagged as perfect, not as a division by zero', () => {
    expect(categoryScore(0, 0, 0)).toMatchObject({ precision: 1, recall: 1, f1: 1, support: 0 });
  });
});

describe('scoreCorpus', () => {
  const items = [
    screened('cd-1', ['contact-details'], 'hold', ['contact-details']),
    screened('cd-2', ['contact-details'], 'tag', ['contact-details']),
    screened('cd-3', ['contact-details'], 'hold', ['suggestive']),
    screened('pc-1', ['personal-content', 'suggestive'], 'hold', ['personal-content', 'suggestive']),
    screened('clean-1', [], 'pass', []),
    screened('clean-2', [], 'tag', ['suggestive']),
    screened('clean-3', [], 'hold', ['personal-content']),
    screened('clean-4', [], 'pass', []),
  ];
  const score = scoreCorpus(items);

  it('counts a catch only when the message is held with a finding of that category', () => {
    expect(score.categories['contact-details']).toMatchObject({ truePositives: 1, falseNegatives: 2, support: 3 });
    expect(score.categories['contact-details'].recall).toBeCloseTo(1 / 3);
  });

  it('counts a held finding of an unlabelled category against that category', () => {
    expect(score.categories.suggestive).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 0 });
    expect(score.categories.suggestive.precision).toBe(0.5);
    expect(score.extras.map((extra) => [extra.id, extra.unexpected])).toEqual([['cd-3', ['suggestive']]]);
  });

  it('lists each miss with the categories it was not held for', () => {
    expect(score.misses.map((miss) => [miss.id, miss.missing, miss.action])).toEqual([
      ['cd-2', ['contact-details'], 'tag'],
      ['cd-3', ['contact-details'], 'hold'],
    ]);
  });

  it('counts a tagged clean message as passed (delivered) and a held one as a false hold', () => {
    expect(score.clean).toEqual({ total: 4, passed: 3, tagged: 1, held: 1, falseHoldRate: 0.25 });
    expect(score.falseHolds.map((held) => held.id)).toEqual(['clean-3']);
  });

  it('fails the gate with a reason for each threshold missed', () => {
    const failures = gateFailures(score);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^contact-details recall 33\.3% of 3 is below 95\.0%/);
    expect(failures[1]).toMatch(/^false holds on clean mail 25\.0% \(1 of 4\) are above 1\.0%/);
  });

  it('passes the gate when every labelled message is held for its category and no clean mail is held', () => {
    const perfect = scoreCorpus([
      screened('a', ['contact-details'], 'hold', ['contact-details']),
      screened('b', ['personal-content'], 'hold', ['personal-content']),
      screened('c', ['suggestive'], 'hold', ['suggestive']),
      screened('d', [], 'pass', []),
    ]);
    expect(gateFailures(perfect)).toEqual([]);
  });
});

describe('quantile', () => {
  it('takes the nearest-rank value', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile(sorted, 1)).toBe(100);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBe(0);
  });
});
