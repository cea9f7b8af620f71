// re2's RE2.Set (one pass over a text tells which of many patterns can match), whose type the re2 typings declare
// only inside their namespace; the rule patterns' sets; and the UTF-8 form of a text every set scan of it reads.

import RE2 from 're2';

export type RE2Set = InstanceType<(typeof RE2)['Set']>;

/** A counted repeat up to this or more is wide: the automaton keeps a count for it in its states. */
const WIDE_REPEAT = 10;
const REPEAT_BOUNDS = /\{(\d+)(?:,(\d*))?\}/g;

/**
 * The rule patterns in RE2.Sets, with the flags single patterns use: one scan per set tells which patterns may match.
 * A set's automaton is built as text is read, and a pattern with a wide counted repeat ("[^.]{0,40}") keeps a count in
 * its states: in one set with word lists, a new state was needed at nearly every character of mail unlike the last
 * (measured on the corpus: 671 us per message for one set, 7 us with the wide patterns in a set of their own; the
 * benchmark's repeated paragraphs hid it, and its mail now costs 5 us more for the second pass). Grouping changes
 * only the speed: every pattern is in exactly one set.
 */
export class PatternSets {
  private constructor(private readonly groups: readonly { set: RE2Set; indices: readonly number[] }[]) {}

  /** Undefined when there are no patterns, or when re2 cannot build a set within its memory budget. */
  static build(sources: readonly string[], flags: string): PatternSets | undefined {
    if (sources.length === 0) return undefined;
    const wide: number[] = [];
    const narrow: number[] = [];
    sources.forEach((source, index) => (widestRepeat(source) >= WIDE_REPEAT ? wide : narrow).push(index));
    const groups: { set: RE2Set; indices: readonly number[] }[] = [];
    for (const indices of [narrow, wide]) {
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
        // Each pattern then simply runs on its own.
        return undefined;
      }
    }
    return new PatternSets(groups);
  }

  /** The indices (in the sources given to build) of the patterns that may match somewhere in `text`. */
  match(text: Buffer): number[] {
    const hits: number[] = [];
    for (const { set, indices } of this.groups) for (const hit of set.match(text)) hits.push(indices[hit]!);
    return hits;
  }
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
