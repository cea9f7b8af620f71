// The quality gate: the shipped rules screened over the labelled corpus must meet the recall and false-hold thresholds,
// and the corpus itself must be big, varied and independent of the rules' own examples. Never lower the thresholds to
// get a green build: a red gate means the rules (or the engine) are not there yet.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from '../../src/classifier/types.js';
import { loadSetup } from '../../src/config/load-rules.js';
import { ENCODINGS, type CorpusMessage } from '../../src/eval/corpus-record.js';
import { GATE, percent, type ScoredMessage } from '../../src/eval/metrics.js';
import { chaperoneScreener } from '../../src/eval/chaperone-screener.js';
import { loadCorpus } from '../../src/eval/load-corpus.js';
import { evaluateCorpus, type CorpusEvaluation } from '../../src/eval/run-eval.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.join(ROOT, 'corpus');

const MIN_MESSAGES = 600;
const MIN_CLEAN = 300;
const MIN_POSITIVES_PER_CATEGORY = 120;
/**
 * A rule example this long (in words) found inside a corpus body means the message was built from the example.
 * Shorter examples ("x", "😘", "our secret") are phrases any real message may use, so only equality counts for them.
 */
const MIN_WORDS_FOR_CONTAINMENT = 6;

let messages: CorpusMessage[];
let evaluation: CorpusEvaluation;
let examples: { rule: string; text: string }[];

function flatten(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function describeMessage(message: ScoredMessage): string {
  const findings = message.findings.map((finding) => `${finding.rule} "${finding.text.replace(/\s+/g, ' ')}"`);
  const all = [...findings, ...message.problems.map((problem) => `problem: ${problem}`)];
  return `${message.file}:${message.line} ${message.id} (${message.action}; ${all.join('; ') || 'no findings'}) - ${message.note}`;
}

beforeAll(async () => {
  const { config, rules } = await loadSetup({ configFile: path.join(CORPUS, 'chaperone.yaml') });
  messages = await loadCorpus(CORPUS);
  evaluation = await evaluateCorpus(messages, chaperoneScreener(config, rules));
  examples = rules.rules.flatMap((rule) =>
    [...rule.examples.flag, ...rule.examples.pass].map((example) => ({ rule: rule.id, text: example.text })),
  );
}, 120_000);

describe('the labelled corpus', () => {
  it(`has at least ${MIN_MESSAGES} messages, ${MIN_CLEAN} clean and ${MIN_POSITIVES_PER_CATEGORY} per category`, () => {
    const counts = Object.fromEntries(
      CATEGORIES.map((category) => [category, messages.filter((message) => message.expect.includes(category)).length]),
    );
    const clean = messages.filter((message) => message.expect.length === 0).length;
    expect({ total: messages.length >= MIN_MESSAGES, clean: clean >= MIN_CLEAN }).toEqual({ total: true, clean: true });
    for (const category of CATEGORIES) {
      expect(counts[category], `${category} positives`).toBeGreaterThanOrEqual(MIN_POSITIVES_PER_CATEGORY);
    }
  });

  it('covers every way the MIME is built, in clean mail and flagged mail together', () => {
    const seen = new Set(messages.map((message) => message.encoding));
    const missing = [...ENCODINGS, 'eml'].filter((encoding) => !seen.has(encoding as CorpusMessage['encoding']));
    expect(missing).toEqual([]);
  });

  it('gives every message a unique id', () => {
    const ids = messages.map((message) => message.id);
    expect(ids.length - new Set(ids).size).toBe(0);
  });

  it("copies no rule's flag: or pass: example", () => {
    const bodies = messages.map((message) => ({ id: message.id, body: flatten(message.body) }));
    const copies: string[] = [];
    for (const example of examples) {
      const text = flatten(example.text);
      if (text === '') continue;
      const long = text.split(' ').length >= MIN_WORDS_FOR_CONTAINMENT;
      for (const { id, body } of bodies) {
        if (body === text || (long && body.includes(text)))
          copies.push(`${id} copies ${example.rule}: "${example.text}"`);
      }
    }
    expect(copies).toEqual([]);
  });
});

describe('the quality gate', () => {
  it.each(CATEGORIES)('holds at least the gate share of messages labelled %s', (category: Category) => {
    const score = evaluation.categories[category];
    const misses = evaluation.misses.filter((miss) => miss.missing.includes(category)).map(describeMessage);
    const summary = `${category} recall ${percent(score.recall)} of ${score.support} (gate ${percent(GATE.recall[category])}); ${misses.length} missed:\n  ${misses.join('\n  ')}`;
    expect(score.recall, summary).toBeGreaterThanOrEqual(GATE.recall[category]);
  });

  it(`holds at most ${percent(GATE.maxFalseHoldRate)} of clean mail`, () => {
    const { clean } = evaluation;
    const held = evaluation.falseHolds.map(describeMessage);
    const summary = `false holds ${percent(clean.falseHoldRate)} (${clean.held} of ${clean.total}):\n  ${held.join('\n  ')}`;
    expect(clean.falseHoldRate, summary).toBeLessThanOrEqual(GATE.maxFalseHoldRate);
  });
});
