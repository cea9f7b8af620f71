// Words written with digits for some of their letters so a filter will not see them ("s3xy", "d0n't t3ll y0ur mum",
// "k33p th1s between us"). One normalise pass reads the digits as the letters they stand for.

import { applyEdits, type MappedText, type TextEdit } from './mapped-text.js';
import { matchesOf } from './regex-matches.js';
import { TextGate, type GateHits } from './text-gates.js';

/** The digits that stand for letters (0 o, 1 i, 3 e, 4 a, 5 s, 7 t); 2, 6, 8 and 9 stand for sounds ("gr8", "2nite"). */
const LETTER_OF_DIGIT: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
};

/**
 * A word of letters with one or two such digits inside it at a time, starting and ending with a letter ("h0t",
 * "k33p", "y0ur"), or a letter and a zero ("s0", "n0", "g0"). Left alone: other numbers with letters before or after
 * them ("y10", "ks3", "m3", "7th", "4pm", "3b"), runs of three digits ("user123abc"), and anything in an address, link
 * or handle (next to '@', '.', '/', '_' or '-' and a letter or digit), where the characters are the name itself
 * ("e4education.com", "@j0hn").
 */
const WORD_WITH_DIGITS = /(?<![a-z0-9_@./\\-])(?:[a-z]+(?:[013457]{1,2}[a-z]+)+|[a-z]0)(?![a-z0-9_@/\\-]|\.[a-z0-9])/g;
const DIGIT = /[013457]/g;
/** A letter, one such digit and a letter, or a letter and a zero: every WORD_WITH_DIGITS match holds one. */
const WORD_WITH_DIGITS_GATE = new TextGate(String.raw`[a-z][013457][013457]?[a-z]|[a-z]0`);

/** The text with digits inside words read as the letters they stand for, or undefined when there are none. */
export function digitsAsLetters(text: string, gates: GateHits): MappedText | undefined {
  if (!gates.mayMatch(WORD_WITH_DIGITS_GATE)) return undefined;
  const edits: TextEdit[] = [];
  for (const word of matchesOf(WORD_WITH_DIGITS, text)) {
    for (const digit of matchesOf(DIGIT, word[0])) {
      const start = word.index + digit.index;
      edits.push({ start, end: start + 1, text: LETTER_OF_DIGIT[digit[0]]! });
    }
  }
  return applyEdits(text, edits);
}
