// The type of re2's RE2.Set (one pass over a text tells which of many patterns can match), which the re2
// typings declare only inside their namespace.

import RE2 from 're2';

export type RE2Set = InstanceType<(typeof RE2)['Set']>;

/**
 * All rule patterns in one set, with the flags single patterns use; undefined when there are none, or when re2
 * cannot build the combined automaton within its memory budget (each pattern then simply runs on its own).
 */
export function patternSet(sources: readonly string[], flags: string): RE2Set | undefined {
  if (sources.length === 0) return undefined;
  try {
    return new RE2.Set(sources, flags);
  } catch {
    return undefined;
  }
}
