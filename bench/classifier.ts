// Classifier speed: p50/p99 and messages per second of classify() on a realistic mix of school mail, next to
// mailparser parsing the same raw messages in the same run (the baseline), and how cost grows from a 1 KB to a
// 1 MB body. TIMING=1 adds the cost of each rule (run alone, less the cost of screening with no rules).

import { simpleParser } from 'mailparser';
import {
  classify,
  parseMime,
  type ClassifyOptions,
  type CompiledRules,
  type MessageInput,
} from '../src/classifier/index.js';
import {
  appliesToPart,
  DEFAULT_ORGANISATION,
  MAX_FINDINGS_PER_RULE,
  MAX_NLP_SENTENCES,
  screenedText,
} from '../src/classifier/classify.js';
import { extractParts } from '../src/classifier/extract-parts.js';
import type { MappedText } from '../src/classifier/mapped-text.js';
import { NlpBudget, ScreenText } from '../src/classifier/matchers/screen-text.js';
import { loadRules } from '../src/config/load-rules.js';
import { parseConfig } from '../src/config/load.js';
import { bodyOfSize, schoolMails } from './school-mail.js';
import { distribution, round, timeEach, timeEachAsync, timeOnce, type BenchResult } from './stats.js';

const MESSAGES = 500;
const FLAGGED_SHARE = 0.15;
const SIZES = [1_024, 10_240, 102_400, 1_048_576];
/** Timed rounds per message; each message's time is the median of its rounds (see timeEach). */
const REPEATS = 5;
/** Rounds per size in the scaling run: the median is reported. */
const SCALING_ROUNDS = 5;

/** The generated mail's school: its own domain, number and website are not personal contact details. */
const SCHOOL_CONFIG =
  'organisation:\n  name: Oakfield Academy\n  domains: [oakfield.sch.uk]\n  phones: ["0118 496 0000"]\n';

export async function run(): Promise<BenchResult> {
  const { config } = parseConfig(undefined, SCHOOL_CONFIG);
  const rules = await loadRules(config);
  const options = { organisation: config.organisation };
  const mails = schoolMails(MESSAGES, FLAGGED_SHARE);
  const inputs: MessageInput[] = [];
  for (const mail of mails) inputs.push(await parseMime(mail.raw));
  const averageBytes = mails.reduce((n, m) => n + Buffer.byteLength(m.raw), 0) / mails.length;

  const classifyOnce = distribution(timeEach(inputs, (input) => classify(input, rules, options), 2));
  const classifyMs = distribution(timeEach(inputs, (input) => classify(input, rules, options), 0, REPEATS));
  const parseMs = distribution(await timeEachAsync(mails, (mail) => simpleParser(mail.raw), 1, REPEATS));
  const held = inputs.filter((input) => classify(input, rules, options).action !== 'pass').length;
  const scaling = scale(rules, options);

  const metrics: Record<string, number> = {
    messages: MESSAGES,
    averageMessageBytes: Math.round(averageBytes),
    classifyP50Ms: round(classifyMs.p50Ms),
    classifyP99Ms: round(classifyMs.p99Ms),
    classifyMeanMs: round(classifyMs.meanMs),
    classifySingleRunP99Ms: round(classifyOnce.p99Ms),
    classifyMessagesPerSecond: Math.round(1000 / classifyMs.meanMs),
    mailparserP50Ms: round(parseMs.p50Ms),
    mailparserP99Ms: round(parseMs.p99Ms),
    mailparserMessagesPerSecond: Math.round(1000 / parseMs.meanMs),
    classifyToMailparserRatioP50: round(classifyMs.p50Ms / parseMs.p50Ms, 2),
    flaggedMessages: held,
  };
  for (const s of scaling) metrics[`body${label(s.bytes)}Ms`] = round(s.ms);

  const summary = [
    `${MESSAGES} school e-mails of ~${(averageBytes / 1024).toFixed(1)} KB (${Math.round(FLAGGED_SHARE * 100)}% with a flagged sentence; ${held} tagged or held), ${rules.rules.length} rules`,
    `classify     p50 ${fmt(classifyMs.p50Ms)}  p99 ${fmt(classifyMs.p99Ms)}  ${metrics.classifyMessagesPerSecond} msg/s  (per message: median of ${REPEATS} runs; p99 of single runs ${fmt(classifyOnce.p99Ms)})`,
    `mailparser   p50 ${fmt(parseMs.p50Ms)}  p99 ${fmt(parseMs.p99Ms)}  ${metrics.mailparserMessagesPerSecond} msg/s  (baseline: parsing the same raw messages)`,
    `ratio        classify / mailparser at p50 = ${metrics.classifyToMailparserRatioP50}`,
    `body size    ${scaling.map((s) => `${label(s.bytes)} ${fmt(s.ms)} (${(s.ms / (s.bytes / 1024)).toFixed(3)} ms/KB)`).join(', ')}`,
  ];
  const details: Record<string, unknown> = { classifyMs, classifyOnce, parseMs, scaling };
  if (process.env.TIMING === '1') {
    const perRule = ruleTimings(rules, inputs, options);
    details.ruleTimings = perRule;
    const row = (name: string, ms: number): string =>
      `  ${name.padEnd(44)} ${fmt(ms).padStart(10)}  ${((100 * ms) / (perRule.textMs + perRule.sharedMs + perRule.rules.reduce((a, r) => a + r.ms, 0))).toFixed(1).padStart(5)}%`;
    summary.push(`time over all ${MESSAGES} messages (TIMING=1):`);
    summary.push(row('(parts, HTML rendering, normalisation)', perRule.textMs));
    summary.push(row('(tokens, sentences, word index, pattern set)', perRule.sharedMs));
    for (const r of perRule.rules.slice(0, 20)) summary.push(row(r.rule, r.ms));
  }
  return { name: 'classifier', metrics, summary, details };
}

function scale(rules: CompiledRules, options: ClassifyOptions): { bytes: number; ms: number }[] {
  return SIZES.map((bytes) => {
    const text = bodyOfSize(bytes);
    classify(text, rules, options);
    const samples = Array.from({ length: SCALING_ROUNDS }, () => timeOnce(() => classify(text, rules, options)));
    return { bytes, ms: distribution(samples).p50Ms };
  });
}

interface RuleTimings {
  /** Cutting parts, rendering HTML and normalising, over all messages. */
  textMs: number;
  /** Work shared by all rules: tokens, sentences, the word index scan, the pattern set pass. */
  sharedMs: number;
  rules: { rule: string; ms: number; percent: number }[];
}

/** Time per rule in the manner of ESLint's TIMING=1: each rule's matcher on texts already prepared. */
function ruleTimings(rules: CompiledRules, inputs: readonly MessageInput[], options: ClassifyOptions): RuleTimings {
  const context = { organisation: options.organisation ?? DEFAULT_ORGANISATION, limit: MAX_FINDINGS_PER_RULE };
  const perRule = new Map<string, number>(rules.rules.map((r) => [r.id, 0]));
  let textMs = 0;
  let sharedMs = 0;
  for (let round = 0; round < 2; round++) {
    const measured = round === 1;
    for (const input of inputs) {
      const budget = new NlpBudget(MAX_NLP_SENTENCES);
      for (const part of extractParts(input)) {
        if (part.kind === 'quoted') continue;
        let mapped: MappedText | undefined;
        const t = timeOnce(() => (mapped = screenedText(part).mapped));
        const screen = new ScreenText(mapped as MappedText, rules.tables, budget);
        const s = timeOnce(() => {
          screen.sentenceOfTokens();
          screen.tokenHits(0);
          screen.patternMayMatch(0);
        });
        if (measured) {
          textMs += t;
          sharedMs += s;
        }
        for (const rule of rules.rules) {
          if (!rule.recipients.has('pupil') || !appliesToPart(rule, part)) continue;
          const ms = timeOnce(() => rule.matcher.find(screen, context));
          if (measured) perRule.set(rule.id, (perRule.get(rule.id) ?? 0) + ms);
        }
      }
    }
  }
  const sum = [...perRule.values()].reduce((a, b) => a + b, 0) + textMs + sharedMs || 1;
  return {
    textMs: round(textMs),
    sharedMs: round(sharedMs),
    rules: [...perRule]
      .map(([rule, ms]) => ({ rule, ms: round(ms), percent: (100 * ms) / sum }))
      .sort((a, b) => b.ms - a.ms),
  };
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
const label = (bytes: number): string => (bytes >= 1_048_576 ? `${bytes / 1_048_576}MB` : `${bytes / 1024}KB`);
