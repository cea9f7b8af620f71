// Words and numbers broken up by a filler between every character so a filter will not see them: "j*o*h*n*@gmail",
// "s~e~x~y", "0*7*7*0*0*9*0*0*1*2*3". One normalise pass drops the fillers.

import { applyEdits, type MappedText, type TextEdit } from './mapped-text.js';
import { matchesOf } from './regex-matches.js';
import { TextGate, type GateHits } from './text-gates.js';

/**
 * At least four characters, each apart from the next by the same filler ('*', '~', '^'; '•' is folded to '*' before
 * this pass). Spaces, dots and dashes are not fillers here: "a b c d" and "j.o.h.n" are ordinary writing (disguised
 * platform names with them are read by disguised-names.ts). The run is capped so one match stays small.
 */
const FILLED_RUN =
  /(?<![a-z0-9*~^])[a-z0-9]([*~^])[a-z0-9](?:\1[a-z0-9]){2,126}(?:\1(?=[ \t]*(?:@|[[({]at[\])}])))?(?![a-z0-9])/g;
/** A filled run starts with a character, its filler and another character. */
const FILLED_RUN_GATE = new TextGate(String.raw`[a-z0-9][*~^][a-z0-9]`);
/**
 * Letters of an address's local part set apart by single spaces, right before its "@" or a spelled "at"
 * ("j o h n @gmail.com", "j o h n at gmail dot com"); four at least before a spelled "at", so "a b c at" stays.
 */
const SPACED_LOCAL_PART =
  /(?<![a-z0-9])[a-z0-9](?: [a-z0-9]){2,63}(?= ?@)|(?<![a-z0-9])[a-z0-9](?: [a-z0-9]){3,63}(?= (?:at|\(at\)|\[at\]) )/g;
/** A spaced local part's last three (or four) characters and what its look-ahead reads after them. */
const SPACED_LOCAL_PART_GATE = new TextGate(
  String.raw`[a-z0-9] [a-z0-9] [a-z0-9] ?@|[a-z0-9] [a-z0-9] [a-z0-9] [a-z0-9] (?:at|\(at\)|\[at\]) `,
);

/** The text with filler characters between single letters or digits removed, or undefined when there are none. */
export function fillerLetters(text: string, gates: GateHits): MappedText | undefined {
  const edits: TextEdit[] = [];
  if (gates.mayMatch(FILLED_RUN_GATE)) {
    for (const run of matchesOf(FILLED_RUN, text)) dropEverySecond(run[0], run.index, run[1]!, edits);
  }
  if (gates.mayMatch(SPACED_LOCAL_PART_GATE)) {
    for (const run of matchesOf(SPACED_LOCAL_PART, text)) dropEverySecond(run[0], run.index, ' ', edits);
    edits.sort((a, b) => a.start - b.start);
  }
  return applyEdits(text, edits);
}

/** Drops the filler between the single characters of `run` (and the one after the last, if there is one). */
function dropEverySecond(run: string, base: number, filler: string, edits: TextEdit[]): void {
  for (let i = 1; i < run.length; i += 2) {
    if (run[i] === filler) edits.push({ start: base + i, end: base + i + 1, text: '' });
  }
}
