// Words stretched with a letter held down ("sexxxy", "sooo cute", "misss youuu", "babeee"), the way people write to
// each other in chat. One normalise pass reads each stretched word as the word it stretches.

import { applyEdits, type MappedText, type TextEdit } from './mapped-text.js';
import { matchesOf } from './regex-matches.js';
import { TextGate, type GateHits } from './text-gates.js';

/** A letter written three or more times in a row: no English word has that, so the word was stretched. */
const STRETCH = /([a-z])\1{2,}/g;
/** STRETCH again, for the stretches of one word while the text's are being read (a regex keeps its place). */
const STRETCH_IN_WORD = /([a-z])\1{2,}/g;
/**
 * A stretch with a letter before or after it: a word the pass changes holds one, since a word of one letter is left
 * as written ("www.", "zzz" shut the gate). re2 has no back-references, so each letter is spelled out.
 */
const STRETCH_GATE = new TextGate(
  Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(3))
    .map((run) => `[a-z]${run}|${run}[a-z]`)
    .join('|'),
);
/**
 * Stretches per word tried both ways (one letter or two): 2^4 readings at most, for a word the length of a line of
 * "sooooo cuuuute" written without spaces; the ones after are read as two letters.
 */
const MAX_STRETCHES_TRIED = 4;
/** Longer than any word: its stretches are read as two letters without trying the vocabulary (a bound on the work). */
const MAX_WORD_TRIED = 40;
/** Words of one letter, or only kisses and hugs ("xxx", "www", "zzz", "xoxooo"), are left as written. */
const LEFT_AS_WRITTEN = /^(?:([a-z])\1*|[xo]+)$/;

/**
 * The text with each stretched word read as the word it stretches, or undefined when there is none. A stretch is
 * read as one letter or two, whichever makes a word in `vocabulary` (the words the rules spell: "misss" is "miss",
 * "sexxxy" is "sexy"), trying two first; with no such word, as two ("hellllo" is "hello", "zzzz" is left).
 */
export function stretchedWords(
  text: string,
  gates: GateHits,
  vocabulary: ReadonlySet<string> = NO_WORDS,
): MappedText | undefined {
  if (!gates.mayMatch(STRETCH_GATE)) return undefined;
  const edits: TextEdit[] = [];
  let wordEnd = 0;
  for (const stretch of matchesOf(STRETCH, text)) {
    if (stretch.index < wordEnd) continue;
    let start = stretch.index;
    while (start > 0 && isLetter(text.charCodeAt(start - 1))) start--;
    wordEnd = stretch.index;
    while (wordEnd < text.length && isLetter(text.charCodeAt(wordEnd))) wordEnd++;
    const word = text.slice(start, wordEnd);
    if (LEFT_AS_WRITTEN.test(word)) continue;
    readWord(word, start, vocabulary, edits);
  }
  return applyEdits(text, edits);
}

const NO_WORDS: ReadonlySet<string> = new Set();

function isLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

/** Adds the edits that shorten each stretch of `word` (at `base` in the text) to one or two letters. */
function readWord(word: string, base: number, vocabulary: ReadonlySet<string>, edits: TextEdit[]): void {
  const stretches = [...matchesOf(STRETCH_IN_WORD, word)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const tried = word.length > MAX_WORD_TRIED ? 0 : Math.min(stretches.length, MAX_STRETCHES_TRIED);
  // Readings in order of how many stretches become one letter: two letters each first ("gooood" is "good", not "god").
  const readings = Array.from({ length: 1 << tried }, (_, mask) => mask).sort((a, b) => bits(a) - bits(b));
  const chosen = readings.find((mask) => vocabulary.has(reading(word, stretches, mask))) ?? 0;
  stretches.forEach((stretch, i) => {
    edits.push({
      start: base + stretch.start,
      end: base + stretch.end,
      text: word[stretch.start]!.repeat(kept(chosen, i)),
    });
  });
}

/** The word with stretch i shortened to one letter where bit i of `mask` is set, to two where it is not. */
function reading(word: string, stretches: readonly { start: number; end: number }[], mask: number): string {
  let out = '';
  let at = 0;
  stretches.forEach((stretch, i) => {
    out += word.slice(at, stretch.start) + word[stretch.start]!.repeat(kept(mask, i));
    at = stretch.end;
  });
  return out + word.slice(at);
}

function kept(mask: number, stretch: number): number {
  return (mask >> stretch) & 1 ? 1 : 2;
}

function bits(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}
