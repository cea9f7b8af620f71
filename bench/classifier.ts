// Classifier speed: p50/p99 and messages per second of classify() on a realistic mix of school mail, next to
// mailparser parsing the same raw messages in the same run (the baseline), and how cost grows from a 1 KB to a
// 1 MB body. TIMING=1 adds the cost of each rule (see src/cli/output/rule-timing.ts).

import { simpleParser } from 'mailparser';
import {
  classify,
  parseMime,
  type ClassifyOptions,
  type CompiledRules,
  type MessageInput,
} from '../src/classifier/index.js';
import { timeRules, timingTable } from '../src/cli/output/rule-timing.js';
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
    const timings = timeRules(rules, inputs, options, 2);
    details.ruleTimings = timings;
    summary.push(`time over all ${MESSAGES} messages (TIMING=1):`, ...timingTable(timings).split('\n'));
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

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
const label = (bytes: number): string => (bytes >= 1_048_576 ? `${bytes / 1_048_576}MB` : `${bytes / 1024}KB`);
