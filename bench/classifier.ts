// Classifier speed: p50/p99 and messages per second of classify() on a realistic mix of school mail, next to
// mailparser parsing the same raw messages in the same run (the baseline), parseMime + classify as the relay runs
// them, and how cost grows from a 1 KB to a 1 MB body. TIMING=1 adds the cost of each rule (see
// src/cli/output/rule-timing.ts).

import { simpleParser } from 'mailparser';
import {
  classify,
  compileRules,
  parseMime,
  type ClassifyOptions,
  type CompiledRules,
  type MessageInput,
} from '../src/classifier/index.js';
import nlp from 'compromise';
import {
  DEFAULT_ORGANISATION,
  MAX_FINDINGS_PER_RULE,
  MAX_NLP_SENTENCES,
  screenedText,
} from '../src/classifier/classify.js';
import { extractPartsToScreen } from '../src/classifier/extract-parts.js';
import { NlpBudget, ScreenText } from '../src/classifier/matchers/screen-text.js';
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
  // What the relay runs per message: parseMime (its quick reader, or mailparser), then classify.
  const raws = mails.map((mail) => Buffer.from(mail.raw));
  const parseMimeMs = distribution(await timeEachAsync(raws, (raw) => parseMime(raw), 1, REPEATS));
  const screenMs = distribution(
    await timeEachAsync(raws, async (raw) => classify(await parseMime(raw), rules, options), 1, REPEATS),
  );
  const held = inputs.filter((input) => classify(input, rules, options).action !== 'pass').length;
  const scaling = scale(rules, options);
  const gating = phraseGating(inputs, options);

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
    parseMimeP50Ms: round(parseMimeMs.p50Ms),
    parseMimeP99Ms: round(parseMimeMs.p99Ms),
    screenP50Ms: round(screenMs.p50Ms),
    screenP99Ms: round(screenMs.p99Ms),
    screenMessagesPerSecond: Math.round(1000 / screenMs.meanMs),
    flaggedMessages: held,
    phraseRules: gating.rules,
    phraseGatedP50Ms: round(gating.gated.p50Ms),
    phraseGatedP99Ms: round(gating.gated.p99Ms),
    phraseUngatedP50Ms: round(gating.ungated.p50Ms),
    phraseUngatedP99Ms: round(gating.ungated.p99Ms),
    phraseUngatedTaggedP50Ms: round(gating.tagged.p50Ms),
    phraseSentencesReadPerMessage: round(gating.sentencesPerMessage, 2),
  };
  for (const s of scaling) metrics[`body${label(s.bytes)}Ms`] = round(s.ms);

  const summary = [
    `${MESSAGES} school e-mails of ~${(averageBytes / 1024).toFixed(1)} KB (${Math.round(FLAGGED_SHARE * 100)}% with a flagged sentence; ${held} tagged or held), ${rules.rules.length} rules`,
    `classify     p50 ${fmt(classifyMs.p50Ms)}  p99 ${fmt(classifyMs.p99Ms)}  ${metrics.classifyMessagesPerSecond} msg/s  (per message: median of ${REPEATS} runs; p99 of single runs ${fmt(classifyOnce.p99Ms)})`,
    `mailparser   p50 ${fmt(parseMs.p50Ms)}  p99 ${fmt(parseMs.p99Ms)}  ${metrics.mailparserMessagesPerSecond} msg/s  (baseline: parsing the same raw messages)`,
    `ratio        classify / mailparser at p50 = ${metrics.classifyToMailparserRatioP50}`,
    `parseMime    p50 ${fmt(parseMimeMs.p50Ms)}  p99 ${fmt(parseMimeMs.p99Ms)}  (quick reader for plain and multipart/alternative UTF-8 mail, mailparser otherwise)`,
    `screening    p50 ${fmt(screenMs.p50Ms)}  p99 ${fmt(screenMs.p99Ms)}  ${metrics.screenMessagesPerSecond} msg/s  (parseMime + classify: the relay's cost per message)`,
    `phrases      ${gating.rules} phrase rules, gated on anchor words: p50 ${fmt(gating.gated.p50Ms)}  p99 ${fmt(gating.gated.p99Ms)} (${gating.sentencesPerMessage.toFixed(2)} sentences read per message); compromise over the whole message instead: p50 ${fmt(gating.ungated.p50Ms)}  p99 ${fmt(gating.ungated.p99Ms)} (tokenised), p50 ${fmt(gating.tagged.p50Ms)} (tagged)`,
    `body size    ${scaling.map((s) => `${label(s.bytes)} ${fmt(s.ms)} (${(s.ms / (s.bytes / 1024)).toFixed(3)} ms/KB)`).join(', ')}`,
  ];
  const details: Record<string, unknown> = {
    classifyMs,
    classifyOnce,
    parseMs,
    parseMimeMs,
    screenMs,
    scaling,
    gating,
  };
  if (process.env.TIMING === '1') {
    const timings = timeRules(rules, inputs, options, 2);
    details.ruleTimings = timings;
    summary.push(`time over all ${MESSAGES} messages (TIMING=1):`, ...timingTable(timings).split('\n'));
  }
  return { name: 'classifier', metrics, summary, details };
}

/** Phrase rules of the kind a school might write, to measure what gating on anchor words saves. */
const PHRASES: [string, string][] = [
  ['meet-after-school', '{meet} (me|up)? after school'],
  ['dont-tell-parents', "(don't|never) tell (your|ur)? (mum|dad|parents|anyone)"],
  ['keep-secret', 'keep (it|this|that)? (a|our)? secret'],
  ['lift-home', '{give} (you|u) a lift'],
  ['look-beautiful', 'you look (so|really)? (beautiful|gorgeous|stunning|hot)'],
  ['mature-age', 'mature for (your|ur) age'],
  ['come-round', 'come (round|over) to my (house|flat|place)'],
  ['private-chat', '{message} me (privately|directly)'],
  ['miss-you', '{miss} (you|u) (so much|loads)?'],
  ['delete-this', '{delete} (this|these|the) (email|emails|message|messages)'],
];

function phraseGating(inputs: readonly MessageInput[], options: ClassifyOptions) {
  const pack = PHRASES.map(
    ([id, phrase]) =>
      `  - id: ${id}\n    category: personal-content\n    severity: medium\n    phrase: ${JSON.stringify(phrase)}\n` +
      `    guidance: Benchmark\n    explain: Benchmark.\n    advice: Benchmark.\n`,
  );
  const rules = compileRules([{ file: 'bench-phrases.yaml', text: `rules:\n${pack.join('')}` }]);
  const gated = distribution(timeEach(inputs, (input) => classify(input, rules, options), 1, REPEATS));
  // What an engine without anchors would do: hand every message's text to compromise once.
  const ungated = distribution(
    timeEach(
      inputs,
      (input) => nlp.tokenize(`${input.subject ?? ''}\n${input.text ?? ''}`).compute('root'),
      1,
      REPEATS,
    ),
  );
  const tagged = distribution(
    timeEach(inputs, (input) => nlp(`${input.subject ?? ''}\n${input.text ?? ''}`).compute('root'), 0, 1),
  );
  const sentences = inputs.reduce((n, input) => n + countSentencesRead(input, rules, options), 0);
  return { rules: PHRASES.length, gated, ungated, tagged, sentencesPerMessage: sentences / inputs.length };
}

function countSentencesRead(input: MessageInput, rules: CompiledRules, options: ClassifyOptions): number {
  const budget = new NlpBudget(MAX_NLP_SENTENCES);
  const context = { organisation: options.organisation ?? DEFAULT_ORGANISATION, limit: MAX_FINDINGS_PER_RULE };
  for (const { part, rendering } of extractPartsToScreen(input)) {
    if (part.kind === 'quoted') continue;
    const screen = new ScreenText(screenedText(part, rendering, rules.tables.vocabulary).mapped, rules.tables, budget);
    for (const rule of rules.rules) rule.matcher.find(screen, context);
  }
  return budget.used;
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
