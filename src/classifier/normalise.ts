// Undoes the ways people disguise contact details and words ("O77OO 9OO123", "seven seven double oh...",
// "jo dot bloggs at gmail dot com", a Cyrillic 'а' in "snаpchat") so rules see what a reader would read.
// Each pass is linear and keeps a map back to the original text, so findings point at what was written.

import { applyEdits, compose, MappedTextBuilder, type MappedText, type TextEdit } from './mapped-text.js';
import { CONFUSABLE_LETTERS } from './confusables.js';
import { fillerLetters } from './filler-letters.js';
import { digitsAsLetters } from './digits-as-letters.js';
import { disguisedNames } from './disguised-names.js';
import { spelledDigits } from './spelled-digits.js';
import { stretchedWords } from './stretched-words.js';
import { spelledAddresses, spelledHosts } from './spelled-addresses.js';
import { matchesOf } from './regex-matches.js';
import { scanGates, TextGate, type GateHits } from './text-gates.js';

/**
 * The passes after character folding, in order: fillers go first so "s*n*a*p" can be read as a name, stretched words
 * ("sooo") are read before anything looks for words, names before
 * addresses so "jo at g mail dot com" has a provider, digits before addresses so "07700 at ..." is not a local part,
 * letters in numbers ("9OO") before digits in words ("h0t"), so a run of digits and look-alikes is read as a number.
 */
const PASSES: readonly ((text: string, gates: GateHits, vocabulary?: ReadonlySet<string>) => MappedText | undefined)[] =
  [
    fillerLetters,
    stretchedWords,
    disguisedNames,
    digitLookalikes,
    digitsAsLetters,
    spelledDigits,
    spelledAddresses,
    spelledHosts,
  ];

/** Normalised text, with what the text gates found in it (the detectors read them too). */
export interface NormalisedText extends MappedText {
  gates: GateHits;
}

/**
 * Lower-cased, de-obfuscated text with every char mapped back to the span of `text` it came from. `readGates` is
 * how each pass's input is gated (tests pass one that opens every gate, to show gating changes nothing);
 * `vocabulary`, the words the rules spell, says which word a stretched one is ("misss" is "miss").
 */
export function normalise(
  text: string,
  readGates: (text: string) => GateHits = scanGates,
  vocabulary?: ReadonlySet<string>,
): NormalisedText {
  let mapped = foldCharacters(text);
  // A pass reads the gates of its own input: once a pass changes the text, the gates are read again.
  let gates = readGates(mapped.text);
  for (const pass of PASSES) {
    const next = pass(mapped.text, gates, vocabulary);
    if (next === undefined) continue;
    mapped = compose(next, mapped);
    gates = readGates(mapped.text);
  }
  // The text's own object: its map may not be made yet (an aligned text makes it only if it is read).
  return Object.assign(mapped, { gates });
}

/** The gates normalise() read on this text, when it is normalise's own result. */
export function gatesOf(mapped: MappedText): GateHits | undefined {
  return 'gates' in mapped ? (mapped as NormalisedText).gates : undefined;
}

// ---- characters: NFKC, accents, look-alike letters, invisible characters, case ----

/** Characters beyond printable ASCII, tab and line ends: each is folded on its own (below). */
const UNUSUAL = /[^\t\n\r\x20-\x7e]+/g;
const COMBINING_MARKS = /\p{M}/gu;
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * Characters with no visible form, used to break words up invisibly ("snap\u200Bchat", tag characters): Unicode's
 * Default_Ignorable_Code_Point property, plus the few listed below that some fonts draw as nothing.
 */
const DEFAULT_IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
/** Blank characters that are not Unicode spaces, read as a space ("s⠀n⠀a⠀p" with braille blanks). */
const BLANKS = new Set([0x2800]);
/**
 * Regional indicator letters 🇦..🇿: pairs naming regions are flags ("🇬🇧🇮🇪"); a run of three or more that is not
 * all flags is a word spelled in them ("🇸🇳🇦🇵" is SN and AP, and AP is no region). Regions as Intl knows them.
 */
const REGIONAL_A = 0x1f1e6;
const REGIONAL_Z = 0x1f1ff;
const MIN_REGIONAL_WORD = 3;
const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const INVISIBLE = new Set([
  0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a,
  0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0x3164,
  0xfeff, 0xffa0,
]);

/** Typographic punctuation folded to its ASCII form, so rules need not spell both "don't" and "don’t". */
const PUNCTUATION = new Map<number, string>([
  [0x2018, "'"], [0x2019, "'"], [0x201a, "'"], [0x201b, "'"], [0x2032, "'"], [0x02bc, "'"],
  [0x201c, '"'], [0x201d, '"'], [0x201e, '"'], [0x201f, '"'], [0x2033, '"'],
  [0x2010, '-'], [0x2011, '-'], [0x2012, '-'], [0x2013, '-'], [0x2014, '-'], [0x2015, '-'], [0x2212, '-'],
  [0x2028, '\n'], [0x2029, '\n'], [0x2024, '.'], [0x2022, '*'],
]); // prettier-ignore

function foldCharacters(text: string): MappedText {
  const builder = new MappedTextBuilder(text.length);
  // Per-call cache: a message repeats few distinct non-ASCII characters, and folding one costs two normalize() calls.
  const cache = new Map<number, string>();
  let at = 0;
  for (const match of matchesOf(UNUSUAL, text)) {
    const runStart = match.index;
    const runEnd = runStart + match[0].length;
    builder.emitAligned(text.slice(at, runStart).toLowerCase(), at);
    let i = runStart;
    while (i < runEnd) {
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      let folded: string;
      if (cp >= REGIONAL_A && cp <= REGIONAL_Z) {
        const run = regionalRunLength(text, i, runEnd);
        if (run >= MIN_REGIONAL_WORD && !allFlags(text, i, run)) {
          for (let k = 0; k < run; k++, i += 2) {
            builder.emit(String.fromCharCode(97 + text.codePointAt(i)! - REGIONAL_A), i, i + 2);
          }
        } else {
          builder.emit(text.slice(i, i + run * 2), i, i + run * 2);
          i += run * 2;
        }
        continue;
      }
      if (cp === 0xfe0e || cp === 0xfe0f) {
        // Variation selectors after a letter or digit (keycap "7️⃣") hide the character; after an emoji they are its style.
        folded = isAsciiAlphanumeric(text.charCodeAt(i - 1)) ? '' : text.slice(i, i + width);
      } else {
        folded = cache.get(cp) ?? foldCodePoint(cp);
        cache.set(cp, folded);
      }
      builder.emit(folded, i, i + width);
      i += width;
    }
    at = runEnd;
  }
  builder.emitAligned(text.slice(at).toLowerCase(), at);
  return builder.build();
}

/** How many regional indicator letters run on from `i` (each two UTF-16 units). */
function regionalRunLength(text: string, i: number, end: number): number {
  let run = 0;
  for (let at = i; at < end; at += 2) {
    const cp = text.codePointAt(at)!;
    if (cp < REGIONAL_A || cp > REGIONAL_Z) break;
    run++;
  }
  return run;
}

/** Whether a run of regional indicator letters reads as flags two by two. */
function allFlags(text: string, i: number, run: number): boolean {
  if (run % 2 !== 0) return false;
  for (let k = 0; k < run; k += 2) {
    const first = text.codePointAt(i + 2 * k)! - REGIONAL_A;
    const second = text.codePointAt(i + 2 * k + 2)! - REGIONAL_A;
    const region = String.fromCharCode(65 + first, 65 + second);
    let known: string | undefined;
    try {
      known = REGION_NAMES.of(region);
    } catch {
      known = undefined;
    }
    if (known === undefined) return false;
  }
  return true;
}

/**
 * Control characters (NUL, the other C0 and C1 controls, DEL) and the replacement character U+FFFD, which an HTML
 * reader gets for "&#0;": put between letters they hide a word from a filter ("s\0e\0x\0y") while a mail client
 * shows nothing, or a mark the reader reads past. Vertical tab and form feed are spaces.
 */
function isControlOrReplacement(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0xfffd;
}

function foldCodePoint(cp: number): string {
  if (BLANKS.has(cp) || cp === 0x0b || cp === 0x0c) return ' ';
  if (isControlOrReplacement(cp)) return '';
  const ch = String.fromCodePoint(cp);
  if (INVISIBLE.has(cp) || (cp !== 0xfe0e && cp !== 0xfe0f && DEFAULT_IGNORABLE.test(ch))) return '';
  const punctuation = PUNCTUATION.get(cp);
  if (punctuation !== undefined) return punctuation;
  const confusable = CONFUSABLE_LETTERS.get(ch);
  if (confusable !== undefined) return confusable;
  // Accented Latin letters lose their accents ("snàpchat") and stray combining marks vanish (strike-through
  // "s̶n̶a̶p̶"); anything else takes its NFKC compatibility form (scripts whose letters need marks keep them).
  const stripped = ch.normalize('NFKD').replace(COMBINING_MARKS, '');
  let folded = ASCII_ONLY.test(stripped) ? stripped : ch.normalize('NFKC');
  if (DECIMAL_DIGIT.test(folded)) folded = String(decimalDigitValue(folded.codePointAt(0)!));
  folded = folded.toLowerCase();
  const again = folded.length === 1 ? CONFUSABLE_LETTERS.get(folded) : undefined;
  return again ?? folded;
}

/** The value of a decimal digit from any script: Unicode lays each script's digits out as 0..9 in a row. */
function decimalDigitValue(cp: number): number {
  let value = 0;
  while (value < 9 && DECIMAL_DIGIT.test(String.fromCodePoint(cp - value - 1))) value++;
  return value;
}

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

// ---- letters standing in for digits inside a number: "O77OO 9OO l23" ----

/**
 * A token of digits and digit look-alikes (o, i, l, |) standing alone, at least three long with a real digit
 * ("9OO", "O77OO"); "o2" and "lol" are left alone.
 */
const DIGIT_RUN = /(?<![a-z0-9_|])(?=[0-9oil|]*[0-9])[0-9oil|]{3,}(?![a-z0-9_|])/g;
const DIGIT_LOOKALIKE = /[oil|]/g;
/**
 * A DIGIT_RUN run with a look-alike to change: between DIGIT_RUN's bounds, digits and look-alikes with at least one
 * of each. (A run is never shortened to meet its look-ahead: every run character is one the look-ahead refuses.)
 */
const DIGIT_LOOKALIKE_GATE = new TextGate(
  String.raw`(?:^|[^a-z0-9_|])[0-9oil|]*(?:[0-9][0-9oil|]*[oil|]|[oil|][0-9oil|]*[0-9])[0-9oil|]*(?:$|[^a-z0-9_|])`,
);

function digitLookalikes(text: string, gates: GateHits): MappedText | undefined {
  if (!gates.mayMatch(DIGIT_LOOKALIKE_GATE)) return undefined;
  const edits: TextEdit[] = [];
  for (const run of matchesOf(DIGIT_RUN, text)) {
    for (const letter of matchesOf(DIGIT_LOOKALIKE, run[0])) {
      const start = run.index + letter.index;
      edits.push({ start, end: start + 1, text: letter[0] === 'o' ? '0' : '1' });
    }
  }
  return applyEdits(text, edits);
}
