// re2's RE2.Set (one pass over a text tells which of many patterns can match), whose type the re2 typings declare
// only inside their namespace; the rule patterns' sets; and the UTF-8 form of a text every set scan of it reads.

import RE2 from 're2';

export type RE2Set = InstanceType<(typeof RE2)['Set']>;

/** A counted repeat up to this or more is wide: the automaton keeps a count for it in its states. */
const WIDE_REPEAT = 10;
const REPEAT_BOUNDS = /\{(\d+)(?:,(\d*))?\}/g;
/**
 * Pattern source per set at most (a longer pattern gets a set of its own). Sets of the shipped rules up to this size
 * kept their states within re2's memory budget on varied text; sets of 24,000 did not (measured below).
 */
const MAX_SET_SOURCE_CHARS = 16_000;

/**
 * The rule patterns and the word lists' gates in RE2.Sets, with the flags single patterns use: one scan per set tells
 * which patterns may match. A set's automaton is built as text is read and kept within re2's memory budget, so mail
 * unlike what was read before makes new states, and once the budget is full states are rebuilt as they are needed.
 * The more a set holds, the bigger its states and the more of them varied text needs; patterns with a wide counted
 * repeat ("[^.!?]{0,40}") keep a count in their states and multiply what the others need. Measured on the corpus,
 * per message, after the sets had read a megabyte of other text: one set of the 39 rule patterns 137 us (it never
 * got faster), narrow and wide patterns in two sets 62 us, and in sets of at most MAX_SET_SOURCE_CHARS with the word
 * gates apart 8 us; on the benchmark's repeated paragraphs, which stay warm, the five sets cost 24 us against 8 us
 * for one. The word lists' gates are plain word alternatives, cheap in a set of their own. Grouping changes only the
 * speed: every pattern is in exactly one set.
 */
export class PatternSets {
  private constructor(private readonly groups: readonly { set: RE2Set; indices: readonly number[] }[]) {}

  /**
   * Sets for `patterns` (indices 0..n-1) and `wordGates` (indices n..). Undefined when there is nothing to scan for,
   * or when re2 cannot build a set within its memory budget.
   */
  static build(patterns: readonly string[], wordGates: readonly string[], flags: string): PatternSets | undefined {
    const sources = [...patterns, ...wordGates];
    if (sources.length === 0) return undefined;
    const wide: number[] = [];
    const narrow: number[] = [];
    patterns.forEach((source, index) => (widestRepeat(source) >= WIDE_REPEAT ? wide : narrow).push(index));
    const gates = wordGates.map((_, index) => patterns.length + index);
    const groups: { set: RE2Set; indices: readonly number[] }[] = [];
    for (const indices of [...bySize(narrow, sources), ...bySize(wide, sources), gates]) {
      if (indices.length === 0) continue;
      try {
        groups.push({
          set: new RE2.Set(
            indices.map((i) => sources[i]!),
            flags,
          ),
          indices,
        });
      } catch {
        // Each pattern then simply runs on its own, and every text is tokenised.
        return undefined;
      }
    }
    return new PatternSets(groups);
  }

  /** The indices (as numbered by build) of the patterns that may match somewhere in `text`. */
  match(text: Buffer): number[] {
    const hits: number[] = [];
    for (const { set, indices } of this.groups) for (const hit of set.match(text)) hits.push(indices[hit]!);
    return hits;
  }
}

/** The patterns in runs, in order, of at most MAX_SET_SOURCE_CHARS of source each. */
function bySize(indices: readonly number[], sources: readonly string[]): number[][] {
  const runs: number[][] = [];
  let size = Infinity;
  for (const index of indices) {
    const length = sources[index]!.length;
    if (size + length > MAX_SET_SOURCE_CHARS) {
      runs.push([]);
      size = 0;
    }
    runs[runs.length - 1]!.push(index);
    size += length;
  }
  return runs;
}

/** The largest count in the pattern's counted repeats ({n}, {n,}, {n,m}); 0 when it has none. */
function widestRepeat(source: string): number {
  let widest = 0;
  for (const bound of source.matchAll(REPEAT_BOUNDS)) {
    widest = Math.max(widest, Number(bound[1]), bound[2] ? Number(bound[2]) : 0);
  }
  return widest;
}

/**
 * `text` in UTF-8, as re2 reads it. Given a string, node-re2 converts it on every call; converting once and handing
 * every set scan of the text the bytes costs a sixth of that (measured: 5.8 us against 1 us per school mail).
 */
export function utf8Of(text: string): Buffer {
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}
