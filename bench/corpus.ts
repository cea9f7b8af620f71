// Corpus speed: every labelled corpus message screened as the relay screens it (parseMime + classify), classify alone on
// the parsed message, and parseMime alone (the parse-only baseline) in the same run; messages per second on one core,
// peak RSS, and how the cost grows from a 1 KB to a 1 MB message built from the corpus's own clean text.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  classify,
  parseMime,
  type ClassifyOptions,
  type CompiledRules,
  type MessageInput,
} from '../src/classifier/index.js';
import { loadSetup } from '../src/config/load-rules.js';
import { buildMime } from '../src/eval/build-mime.js';
import { corpusRecordSchema, type CorpusMessage } from '../src/eval/corpus-record.js';
import { loadCorpus } from '../src/eval/load-corpus.js';
import { distribution, round, timeOnceAsync, timeOnce, type BenchResult, type Distribution } from './stats.js';

const SIZES_KB = [1, 10, 100, 1000];
/** Timed rounds per size in the scaling run; the median is reported. */
const SCALING_ROUNDS = 5;

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root above bench/corpus');
    dir = parent;
  }
  return dir;
}

function options(config: Awaited<ReturnType<typeof loadSetup>>['config'], to: 'pupil' | 'parent'): ClassifyOptions {
  return {
    recipientClass: to,
    organisation: config.organisation,
    thresholds: config.thresholds,
    categories: config.policy[to].categories,
  };
}

/** A plain-text message of about `kb` KB made of the clean corpus's own paragraphs, as a long real e-mail would be. */
async function messageOfSize(kb: number, clean: readonly CorpusMessage[]): Promise<Buffer> {
  const paragraphs = clean.flatMap((message) => message.body.split(/\n{2,}/)).filter((p) => p.length > 80);
  const target = kb * 1024;
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < target; i++) {
    const paragraph = paragraphs[i % paragraphs.length] ?? '';
    parts.push(paragraph);
    length += Buffer.byteLength(paragraph) + 2;
  }
  const body = parts.join('\n\n').slice(0, target);
  return buildMime(
    corpusRecordSchema.parse({ id: `size-${kb}`, expect: [], note: 'bench', subject: 'Newsletter', body }),
  );
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function scaling(rules: CompiledRules, opts: ClassifyOptions, clean: readonly CorpusMessage[]) {
  const rows: { kb: number; bytes: number; screenMs: number; parseMs: number; screenMsPerKb: number }[] = [];
  for (const kb of SIZES_KB) {
    const raw = await messageOfSize(kb, clean);
    const screen = async () => classify(await parseMime(raw), rules, opts);
    await screen();
    const screenSamples: number[] = [];
    const parseSamples: number[] = [];
    for (let round = 0; round < SCALING_ROUNDS; round++) {
      screenSamples.push(await timeOnceAsync(screen));
      parseSamples.push(await timeOnceAsync(() => parseMime(raw)));
    }
    const screenMs = median(screenSamples);
    rows.push({
      kb,
      bytes: raw.length,
      screenMs,
      parseMs: median(parseSamples),
      screenMsPerKb: screenMs / (raw.length / 1024),
    });
  }
  return rows;
}

const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;

export async function run(): Promise<BenchResult> {
  const root = repoRoot();
  const corpusDir = path.join(root, 'corpus');
  const { config, rules } = await loadSetup({ configFile: path.join(corpusDir, 'chaperone.yaml') });
  const messages = await loadCorpus(corpusDir);
  const opts = messages.map((message) => options(config, message.to));

  // Warm-up: one untimed pass so the JIT, compromise's lexicon and the re2 sets are hot, as in a running relay.
  const inputs: MessageInput[] = [];
  for (const [i, message] of messages.entries()) {
    const input = await parseMime(message.raw);
    classify(input, rules, opts[i]);
    inputs.push(input);
  }

  const screenSamples: number[] = [];
  const parseSamples: number[] = [];
  const classifySamples: number[] = [];
  let held = 0;
  for (const [i, message] of messages.entries()) {
    screenSamples.push(
      await timeOnceAsync(async () => {
        if (classify(await parseMime(message.raw), rules, opts[i]).action === 'hold') held++;
      }),
    );
    parseSamples.push(await timeOnceAsync(() => parseMime(message.raw)));
    classifySamples.push(timeOnce(() => classify(inputs[i] as MessageInput, rules, opts[i])));
  }
  const screen: Distribution = distribution(screenSamples);
  const parse: Distribution = distribution(parseSamples);
  const classifyOnly: Distribution = distribution(classifySamples);
  const clean = messages.filter((message) => message.expect.length === 0);
  const sizes = await scaling(rules, options(config, 'pupil'), clean);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const averageBytes = messages.reduce((sum, message) => sum + message.raw.length, 0) / messages.length;

  const metrics: Record<string, number> = {
    messages: messages.length,
    heldMessages: held,
    averageMessageBytes: Math.round(averageBytes),
    screenP50Ms: round(screen.p50Ms),
    screenP99Ms: round(screen.p99Ms),
    screenMeanMs: round(screen.meanMs),
    screenMessagesPerSecond: Math.round(1000 / screen.meanMs),
    classifyP50Ms: round(classifyOnly.p50Ms),
    classifyP99Ms: round(classifyOnly.p99Ms),
    parseMimeP50Ms: round(parse.p50Ms),
    parseMimeP99Ms: round(parse.p99Ms),
    parseMimeMessagesPerSecond: Math.round(1000 / parse.meanMs),
    screenToParseRatioP50: round(screen.p50Ms / parse.p50Ms, 2),
    peakRssMb: round(peakRssMb, 1),
  };
  for (const row of sizes) {
    metrics[`screen${row.kb}KbMs`] = round(row.screenMs);
    metrics[`screen${row.kb}KbMsPerKb`] = round(row.screenMsPerKb, 4);
  }
  const summary = [
    `${messages.length} corpus messages (avg ${(averageBytes / 1024).toFixed(1)} KB, ${held} held), ${rules.rules.length} rules, one core`,
    `parse+classify  p50 ${fmt(screen.p50Ms)}  p99 ${fmt(screen.p99Ms)}  ${metrics.screenMessagesPerSecond} msg/s`,
    `classify alone  p50 ${fmt(classifyOnly.p50Ms)}  p99 ${fmt(classifyOnly.p99Ms)}`,
    `parseMime alone p50 ${fmt(parse.p50Ms)}  p99 ${fmt(parse.p99Ms)}  ${metrics.parseMimeMessagesPerSecond} msg/s  (baseline: parsing only)`,
    `ratio           parse+classify / parseMime at p50 = ${metrics.screenToParseRatioP50}`,
    `message size    ${sizes.map((row) => `${row.kb} KB ${fmt(row.screenMs)} (${row.screenMsPerKb.toFixed(3)} ms/KB; parse ${fmt(row.parseMs)})`).join(', ')}`,
    `peak RSS        ${peakRssMb.toFixed(0)} MB`,
  ];
  return { name: 'corpus', metrics, summary, details: { screen, classify: classifyOnly, parse, sizes } };
}
