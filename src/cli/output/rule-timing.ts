// TIMING=1, in the manner of ESLint: how long each rule's matcher takes over a set of messages, beside the work
// all rules share (cutting parts, rendering HTML, normalising; tokens, sentences, the word index, the pattern set).
// The classifier itself has no clock; this runs its steps one by one on the side, so it costs a second pass.

import {
  DEFAULT_ORGANISATION,
  MAX_FINDINGS_PER_RULE,
  MAX_NLP_SENTENCES,
  screenedText,
} from '../../classifier/classify.js';
import { appliesToPart } from '../../classifier/rule-selection.js';
import { extractPartsToScreen, type PartToScreen } from '../../classifier/extract-parts.js';
import type { ClassifyOptions, CompiledRules, MessageInput } from '../../classifier/index.js';
import type { MappedText } from '../../classifier/mapped-text.js';
import { NlpBudget, ScreenText } from '../../classifier/matchers/screen-text.js';

export interface RuleTimings {
  /** Cutting parts, rendering HTML and normalising, over all messages. */
  textMs: number;
  /** Work shared by all rules: tokens, sentences, the word index scan, the pattern set pass. */
  sharedMs: number;
  /** Per rule, most expensive first. */
  rules: { rule: string; ms: number }[];
}

function elapsedMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Times every step of screening the messages; `rounds` > 1 runs untimed warm-up rounds first. */
export function timeRules(
  rules: CompiledRules,
  inputs: readonly (MessageInput | string)[],
  options: ClassifyOptions = {},
  rounds = 1,
): RuleTimings {
  const recipientClass = options.recipientClass ?? 'pupil';
  const context = { organisation: options.organisation ?? DEFAULT_ORGANISATION, limit: MAX_FINDINGS_PER_RULE };
  const perRule = new Map<string, number>(rules.rules.map((r) => [r.id, 0]));
  let textMs = 0;
  let sharedMs = 0;
  for (let round = 0; round < rounds; round++) {
    const measured = round === rounds - 1;
    for (const input of inputs) {
      const budget = new NlpBudget(MAX_NLP_SENTENCES);
      let parts: PartToScreen[] = [];
      // Cutting the parts renders the HTML body, so it counts as text work too.
      const cut = elapsedMs(() => (parts = extractPartsToScreen(input)));
      if (measured) textMs += cut;
      for (const { part, rendering } of parts) {
        if (part.kind === 'quoted') continue;
        let mapped: MappedText | undefined;
        const text = elapsedMs(() => (mapped = screenedText(part, rendering, rules.tables.vocabulary).mapped));
        const screen = new ScreenText(mapped as MappedText, rules.tables, budget);
        const shared = elapsedMs(() => {
          screen.sentenceOfTokens();
          screen.tokenHits(0);
          screen.patternMayMatch(0);
        });
        if (measured) {
          textMs += text;
          sharedMs += shared;
        }
        for (const rule of rules.rules) {
          if (!rule.recipients.has(recipientClass) || !appliesToPart(rule, part)) continue;
          const ms = elapsedMs(() => rule.matcher.find(screen, context));
          if (measured) perRule.set(rule.id, (perRule.get(rule.id) ?? 0) + ms);
        }
      }
    }
  }
  return {
    textMs,
    sharedMs,
    rules: [...perRule].map(([rule, ms]) => ({ rule, ms })).sort((a, b) => b.ms - a.ms),
  };
}

const SHOWN_RULES = 20;

/** ESLint's TIMING table: the costliest rules with their share of the total. */
export function timingTable(timings: RuleTimings, shown = SHOWN_RULES): string {
  const total = timings.textMs + timings.sharedMs + timings.rules.reduce((a, r) => a + r.ms, 0) || 1;
  const rows: [string, number][] = [
    ['(parts, HTML rendering, normalisation)', timings.textMs],
    ['(tokens, sentences, word index, pattern set)', timings.sharedMs],
    ...timings.rules.slice(0, shown).map((r): [string, number] => [r.rule, r.ms]),
  ];
  const width = Math.max(4, ...rows.map(([name]) => name.length));
  const lines = [`${'Rule'.padEnd(width)} | Time (ms) | Relative`, `${'-'.repeat(width)}-|-----------|---------`];
  for (const [name, ms] of rows) {
    lines.push(
      `${name.padEnd(width)} | ${ms.toFixed(3).padStart(9)} | ${((100 * ms) / total).toFixed(1).padStart(7)}%`,
    );
  }
  return lines.join('\n');
}
