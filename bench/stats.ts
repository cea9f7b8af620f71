// The shape every benchmark returns and the timing helpers they share (bench/run.ts runs them all).

export interface BenchResult {
  /** The benchmark's name: classifier, corpus, relay. */
  name: string;
  /** Machine-readable numbers, named with their unit: { p50Ms: 0.4, messagesPerSecond: 2100 }. */
  metrics: Record<string, number>;
  /** Lines for people, printed by bench/run.ts. */
  summary: string[];
  /** Anything else worth keeping in bench/results (tables, per-size timings...). */
  details?: unknown;
}

export interface Distribution {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The p-th percentile (0-100) of sorted samples, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function distribution(samplesMs: readonly number[]): Distribution {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    meanMs: total / Math.max(1, sorted.length),
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Milliseconds one call of fn takes. */
export function timeOnce(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function timeOnceAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Times fn on every item, after `warmup` untimed rounds over the items. With `repeats` > 1 each item's time is
 * the median of that many rounds: on a shared machine a single run's p99 measures the scheduler (another
 * process taking the core mid-call) more than the code.
 */
export function timeEach<T>(items: readonly T[], fn: (item: T) => void, warmup = 1, repeats = 1): number[] {
  for (let round = 0; round < warmup; round++) for (const item of items) fn(item);
  const rounds = Array.from({ length: repeats }, () => items.map((item) => timeOnce(() => fn(item))));
  return items.map((_, i) => median(rounds.map((r) => r[i] as number)));
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export async function timeEachAsync<T>(
  items: readonly T[],
  fn: (item: T) => Promise<unknown>,
  warmup = 1,
  repeats = 1,
): Promise<number[]> {
  for (let round = 0; round < warmup; round++) for (const item of items) await fn(item);
  const rounds: number[][] = [];
  for (let r = 0; r < repeats; r++) {
    const samples: number[] = [];
    for (const item of items) samples.push(await timeOnceAsync(() => fn(item)));
    rounds.push(samples);
  }
  return items.map((_, i) => median(rounds.map((r) => r[i] as number)));
}

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
