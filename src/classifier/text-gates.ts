// Cheap necessary conditions for the classifier's dearest fixed regexes, all read in one RE2.Set pass over a text.
// A normalise pass or detector scan whose gate finds nothing is skipped: its regex could find nothing either. On
// clean school mail nearly every gate is shut, and one set pass costs less than the JS regexes it spares.
//
// A gate must match somewhere in every text its regex matches in (a superset, never a guess): it is the regex with
// its look-arounds relaxed to plain characters ("(?<![a-z])x" -> "(?:^|[^a-z])x"; a match exists at a position iff
// the look-around holds there), its bounds loosened, or a part every match must contain. Gates are re2 syntax over
// JS strings: a gate must not rely on JS's Unicode-wide \s (re2's is ASCII; see JS_SPACE) or on '.'.

import RE2 from 're2';
import { utf8Of, type RE2Set } from './matchers/re2-set.js';

/** JS's \s as re2 spells it, for gates of regexes that use \s. */
export const JS_SPACE = String.raw`[\t\n\x0b\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`;

const sources: string[] = [];
/** The set of every gate made so far; rebuilt when a gate is added after it was built. */
let compiled: { set: RE2Set | undefined; size: number } | undefined;

/** A necessary condition (re2 syntax) for a regex of the classifier to match in a text. */
export class TextGate {
  readonly index: number;

  constructor(readonly source: string) {
    // A gate re2 cannot read is our mistake: say so when the module loads, not by opening every gate at run time.
    new RE2(source, 'u');
    this.index = sources.push(source) - 1;
  }
}

/** What one scan found: which gates may match in the scanned text. */
export interface GateHits {
  mayMatch(gate: TextGate): boolean;
  /** The scanned text in UTF-8, for other re2 set scans of the same text; absent when it was not scanned. */
  readonly utf8?: Buffer;
}

/** Every gate open: what a caller without a scan (or a failed one) must assume. */
export const OPEN_GATES: GateHits = { mayMatch: () => true };

class ScannedGates implements GateHits {
  constructor(
    private readonly open: Uint8Array,
    private readonly scanned: number,
    readonly utf8: Buffer,
  ) {}

  mayMatch(gate: TextGate): boolean {
    return gate.index >= this.scanned || this.open[gate.index] === 1;
  }
}

/** Which gates may match in `text`. Should the set fail (re2's memory bound), every gate is open. */
export function scanGates(text: string): GateHits {
  if (compiled === undefined || compiled.size !== sources.length) {
    compiled = { set: buildSet(), size: sources.length };
  }
  if (compiled.set === undefined) return OPEN_GATES;
  const utf8 = utf8Of(text);
  let hits: number[];
  try {
    hits = compiled.set.match(utf8);
  } catch {
    return OPEN_GATES;
  }
  const open = new Uint8Array(compiled.size);
  for (const hit of hits) open[hit] = 1;
  return new ScannedGates(open, compiled.size, utf8);
}

function buildSet(): RE2Set | undefined {
  if (sources.length === 0) return undefined;
  try {
    return new RE2.Set(sources, 'u');
  } catch {
    return undefined;
  }
}
