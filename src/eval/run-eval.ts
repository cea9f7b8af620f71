// Screens every corpus message with Chaperone and with the regex-only baseline, and scores both.
import { performance } from 'node:perf_hooks';
import type { CorpusMessage } from './corpus-record.js';
import { gateFailures, quantile, scoreCorpus, type CorpusScore, type Screened } from './metrics.js';
import type { Screener } from './screen-outcome.js';

export interface Timing {
  messages: number;
  totalMs: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface CorpusEvaluation extends CorpusScore {
  gate: { passed: boolean; failures: string[] };
  timing: Timing;
}

export interface BaselineEvaluation extends CorpusScore {
  timing: Timing;
}

export function timingOf(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const totalMs = sorted.reduce((sum, value) => sum + value, 0);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return {
    messages: sorted.length,
    totalMs: round(totalMs),
    meanMs: round(sorted.length === 0 ? 0 : totalMs / sorted.length),
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/** Screens each message in turn (one core, as the relay does per message), timing each screening. */
export async function screenAll(
  messages: readonly CorpusMessage[],
  screen: Screener,
  onMessage?: (done: number, total: number) => void,
): Promise<{ screened: Screened[]; timing: Timing }> {
  const screened: Screened[] = [];
  const samples: number[] = [];
  for (const message of messages) {
    const started = performance.now();
    const outcome = await screen(message.raw, message.to);
    samples.push(performance.now() - started);
    screened.push({ message, outcome });
    onMessage?.(screened.length, messages.length);
  }
  return { screened, timing: timingOf(samples) };
}

export async function evaluateCorpus(
  messages: readonly CorpusMessage[],
  screen: Screener,
  onMessage?: (done: number, total: number) => void,
): Promise<CorpusEvaluation> {
  const { screened, timing } = await screenAll(messages, screen, onMessage);
  const score = scoreCorpus(screened);
  const failures = gateFailures(score);
  return { ...score, gate: { passed: failures.length === 0, failures }, timing };
}

export async function evaluateBaseline(
  messages: readonly CorpusMessage[],
  screen: Screener,
  onMessage?: (done: number, total: number) => void,
): Promise<BaselineEvaluation> {
  const { screened, timing } = await screenAll(messages, screen, onMessage);
  return { ...scoreCorpus(screened), timing };
}
