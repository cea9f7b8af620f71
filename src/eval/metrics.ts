// Precision, recall and false holds of one screener over a labelled corpus.
//
// What counts: a message is flagged for category C when it is HELD and has a finding of C. The gate measures what the
// DSL would see in the review queue; a tag (delivered with a marker) does not stop the message, so it is not a catch.
import { CATEGORIES, type Action, type Category } from '../classifier/types.js';
import type { CorpusMessage } from './corpus-record.js';
import type { OutcomeFinding, ScreenOutcome } from './screen-outcome.js';

export interface CategoryScore {
  precision: number;
  recall: number;
  f1: number;
  /** Messages labelled with the category. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface ScoredMessage {
  id: string;
  file: string;
  line: number;
  note: string;
  expect: Category[];
  action: Action;
  findings: OutcomeFinding[];
  problems: string[];
}

export interface Miss extends ScoredMessage {
  /** Expected categories the message was not held for. */
  missing: Category[];
}

export interface Extra extends ScoredMessage {
  /** Categories the message was held for without being labelled with them. */
  unexpected: Category[];
}

export interface CorpusScore {
  total: number;
  clean: { total: number; passed: number; tagged: number; held: number; falseHoldRate: number };
  categories: Record<Category, CategoryScore>;
  misses: Miss[];
  falseHolds: ScoredMessage[];
  /** Positive messages also held for a category they are not labelled with (counted against that category's precision). */
  extras: Extra[];
}

export interface Screened {
  message: CorpusMessage;
  outcome: ScreenOutcome;
}

/** Categories a screening would put in front of the DSL: those with a finding, when the message is held. */
export function heldCategories(outcome: ScreenOutcome): Set<Category> {
  if (outcome.action !== 'hold') return new Set();
  return new Set(outcome.findings.map((finding) => finding.category));
}

/** precision = TP / (TP + FP), 0 when nothing was flagged; recall = TP / support, 1 when nothing is labelled. */
export function categoryScore(truePositives: number, falsePositives: number, falseNegatives: number): CategoryScore {
  const support = truePositives + falseNegatives;
  const flagged = truePositives + falsePositives;
  const precision = flagged === 0 ? (support === 0 ? 1 : 0) : truePositives / flagged;
  const recall = support === 0 ? 1 : truePositives / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support, truePositives, falsePositives, falseNegatives };
}

function scored(item: Screened): ScoredMessage {
  const { message, outcome } = item;
  return {
    id: message.id,
    file: message.file,
    line: message.line,
    note: message.note,
    expect: message.expect,
    action: outcome.action,
    findings: outcome.findings,
    problems: outcome.problems,
  };
}

export function scoreCorpus(items: readonly Screened[]): CorpusScore {
  const counts = Object.fromEntries(CATEGORIES.map((category) => [category, { tp: 0, fp: 0, fn: 0 }])) as Record<
    Category,
    { tp: number; fp: number; fn: number }
  >;
  const misses: Miss[] = [];
  const extras: Extra[] = [];
  const falseHolds: ScoredMessage[] = [];
  const clean = { total: 0, passed: 0, tagged: 0, held: 0, falseHoldRate: 0 };

  for (const item of items) {
    const flagged = heldCategories(item.outcome);
    const expected = new Set(item.message.expect);
    const missing: Category[] = [];
    const unexpected: Category[] = [];
    for (const category of CATEGORIES) {
      const want = expected.has(category);
      const got = flagged.has(category);
      if (want && got) counts[category].tp++;
      else if (want) {
        counts[category].fn++;
        missing.push(category);
      } else if (got) {
        counts[category].fp++;
        unexpected.push(category);
      }
    }
    if (expected.size === 0) {
      clean.total++;
      if (item.outcome.action === 'hold') {
        clean.held++;
        falseHolds.push(scored(item));
      } else {
        clean.passed++;
        if (item.outcome.action === 'tag') clean.tagged++;
      }
      continue;
    }
    if (missing.length > 0) misses.push({ ...scored(item), missing });
    if (unexpected.length > 0) extras.push({ ...scored(item), unexpected });
  }
  clean.falseHoldRate = clean.total === 0 ? 0 : clean.held / clean.total;
  const categories = Object.fromEntries(
    CATEGORIES.map((category) => {
      const { tp, fp, fn } = counts[category];
      return [category, categoryScore(tp, fp, fn)];
    }),
  ) as Record<Category, CategoryScore>;
  return { total: items.length, clean, categories, misses, falseHolds, extras };
}

/** The thresholds the quality gate holds the shipped rules to. Never lowered to get a green build. */
export const GATE = {
  recall: { 'contact-details': 0.95, 'personal-content': 0.92, suggestive: 0.92 } satisfies Record<Category, number>,
  maxFalseHoldRate: 0.01,
} as const;

/** Reasons the score fails the gate; empty when it passes. */
export function gateFailures(score: CorpusScore): string[] {
  const failures: string[] = [];
  for (const category of CATEGORIES) {
    const { recall, support } = score.categories[category];
    if (recall < GATE.recall[category]) {
      failures.push(`${category} recall ${percent(recall)} of ${support} is below ${percent(GATE.recall[category])}`);
    }
  }
  if (score.clean.falseHoldRate > GATE.maxFalseHoldRate) {
    failures.push(
      `false holds on clean mail ${percent(score.clean.falseHoldRate)} (${score.clean.held} of ${score.clean.total}) are above ${percent(GATE.maxFalseHoldRate)}`,
    );
  }
  return failures;
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** The value at quantile q (0..1) of sorted numbers, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
