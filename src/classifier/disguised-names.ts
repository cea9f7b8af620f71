// Platform and webmail names written so a filter will not know them: "sn@pchat", "1nsta", "t1kt0k", "f@cebook",
// "s n a p c h a t", "insta gram", "what's app", "whatsap", "g mail". One normalise pass rewrites each to the plain
// name, so the detectors and the rule packs need only one spelling.

import { applyEdits, type MappedText, type TextEdit } from './mapped-text.js';
import { matchesOf } from './regex-matches.js';
import { TextGate, type GateHits } from './text-gates.js';

/** Digits and symbols that stand in for a letter (leetspeak), each with the letter itself first. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  a: 'a@4',
  b: 'b8',
  e: 'e3',
  i: 'i1!|l',
  l: 'l1|i',
  o: 'o0',
  s: 's5$',
  t: 't7+',
};

/**
 * The names, in their plain spelling. '|' marks where people put a space ("insta|gram", "g|mail"); in names of six
 * letters or more any letter may be set apart ("s n a p c h a t", "t.i.k.t.o.k"). Shorter names are only disguised
 * letter for letter: "i n s t a" is too close to prose to join.
 */
const NAMES: readonly string[] = [
  'snap|chat', 'insta|gram', 'face|book', 'tik|tok', 'whats|app', 'tele|gram', 'discord', 'twitter', 'you|tube',
  'onlyfans', 'hot|mail', 'i|cloud', 'g|mail', 'insta', 'snap', 'yahoo', 'skype', 'twitch', 'reddit',
]; // prettier-ignore
/** Common misspellings that are still the name. */
const MISSPELLINGS: ReadonlyMap<string, string> = new Map([
  ['watsapp', 'whatsapp'],
  ['watsap', 'whatsapp'],
  ['whatapp', 'whatsapp'],
  ['whatsap', 'whatsapp'],
  ['snapchap', 'snapchat'],
  ['instergram', 'instagram'],
  ['instagran', 'instagram'],
]);

/** Names this long or longer may have any letter set apart. */
const MIN_SPACED_NAME = 6;
/**
 * Between set-apart letters: one or two spaces, or one dot, dash, underscore, star, tilde or apostrophe. Not a
 * full stop and a space: "your face. Book a slot" is two sentences.
 */
const APART = String.raw`(?:[ \t]{1,2}|[._\-*~'])?`;

function letterClass(letter: string): string {
  return '[' + (LOOK_ALIKES[letter] ?? letter).replace(/[\\\]^\-[]/g, '\\$&') + ']';
}

/** Names whose halves are everyday words in a row ("the only fans in the ground"): disguised letter for letter only. */
const NEVER_SPACED = new Set(['onlyfans']);

function namePattern(name: string): string {
  const letters = name.replace(/\|/g, '');
  const spaced = letters.length >= MIN_SPACED_NAME && !NEVER_SPACED.has(letters);
  let pattern = '';
  for (let i = 0; i < name.length; i++) {
    const letter = name[i]!;
    if (letter === '|') continue;
    if (pattern !== '' && (spaced || name[i - 1] === '|')) pattern += APART;
    // A letter may be doubled or dropped from a double ("whatsappp", "whatsap").
    pattern += letterClass(letter) + (name[i + 1] === letter ? '{0,3}' : '{1,3}');
  }
  return pattern;
}

const ALTERNATIVES = [...NAMES.map(namePattern), ...MISSPELLINGS.keys()];
/** Every disguise of a name, standing as a word of its own (not "instant", not "snapshot"). */
const DISGUISED_NAME = new RegExp(
  String.raw`(?=[${firstCharacters()}])(?<![a-z0-9._\-])(?:${ALTERNATIVES.map((a) => `(${a})`).join('|')})(?![a-z0-9])`,
  'g',
);
/** The characters a disguise can start with: a cheap look-ahead that spares most positions the alternation. */
function firstCharacters(): string {
  const chars = new Set<string>();
  for (const name of [...NAMES, ...MISSPELLINGS.keys()])
    for (const c of LOOK_ALIKES[name[0]!] ?? name[0]!) chars.add(c);
  return [...chars].join('').replace(/[\\\]^\-[]/g, '\\$&');
}
/** DISGUISED_NAME with its look-arounds read as characters (its first-character look-ahead only speeds it up). */
const DISGUISED_NAME_GATE = new TextGate(String.raw`(?:^|[^a-z0-9._\-])(?:${ALTERNATIVES.join('|')})(?:$|[^a-z0-9])`);
const PLAIN_NAMES = [...NAMES.map((n) => n.replace(/\|/g, '')), ...MISSPELLINGS.values()];

/** The text with every disguised platform or webmail name written plainly, or undefined when there is none. */
export function disguisedNames(text: string, gates: GateHits): MappedText | undefined {
  if (!gates.mayMatch(DISGUISED_NAME_GATE)) return undefined;
  const edits: TextEdit[] = [];
  for (const match of matchesOf(DISGUISED_NAME, text)) {
    const group = match.findIndex((g, i) => i > 0 && g !== undefined);
    const name = PLAIN_NAMES[group - 1]!;
    if (match[0] === name) continue;
    edits.push({ start: match.index, end: match.index + match[0].length, text: name });
  }
  return applyEdits(text, edits);
}
