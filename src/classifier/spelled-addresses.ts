// E-mail addresses and web addresses read out in words so a filter will not see them: "jo dot bloggs at gmail dot
// com", "jo[at]gmail[.]com", "jo @ gmail . com", "jhughes (at) gmail" (no ending), "fionaswims dot co dot uk".
// Two normalise passes; each rewrites only the separators, so the words around them keep their own offsets.

import { applyEdits, type MappedText, type TextEdit } from './mapped-text.js';
import { COMMON_WORDS } from './matchers/common-words.js';
import { EVERYDAY_WEBMAIL_NAMES, WEBMAIL_NAMES } from './detectors/webmail.js';
import { matchesOf } from './regex-matches.js';
import { TextGate, type GateHits } from './text-gates.js';

/** A label starts with a letter, digit or '_' ("- gmail" is a dash and a label, not a label). */
const LABEL = String.raw`[a-z0-9_%+][a-z0-9_%+\-]{0,63}`;
const SPACES = String.raw`[ \t]{0,3}`;
const GAP = String.raw`[ \t]{1,3}`;
/** Around a spelled "at" or "dot": spaces, or a dash, underscore or tilde ("jo_at_gmail_dot_com", "jo - at - gmail"). */
const WORD_GAP = String.raw`(?:[ \t]{0,2}[\-_~][ \t]{0,2}|[ \t]{1,3})`;
const BRACKETED_DOT = String.raw`${SPACES}[\[({<]${SPACES}(?:dot|\.)${SPACES}[\])}>]${SPACES}`;
const DOT = String.raw`(?:${BRACKETED_DOT}|${WORD_GAP}dot${WORD_GAP}|${GAP}\.${GAP}|\.)`;
const AT = String.raw`(?:${SPACES}[\[({<]${SPACES}(?:at|@)${SPACES}[\])}>]${SPACES}|${WORD_GAP}at${WORD_GAP}|${SPACES}@${SPACES})`;
/** A webmail provider's name standing for its whole domain ("jo at gmail"). */
const PROVIDER_ALONE = String.raw`(?:${[...WEBMAIL_NAMES.keys()].join('|')})(?![a-z0-9_%+\-@.])`;
/**
 * Local part of up to 9 labels, domain of up to 7 (or a provider's name alone): longer is not an address anyone
 * reads aloud.
 */
const SPELLED_ADDRESS = new RegExp(
  String.raw`(?<![a-z0-9_%+.\-@])${LABEL}(?:${DOT}${LABEL}){0,8}${AT}(?:${LABEL}(?:${DOT}${LABEL}){1,6}(?![a-z0-9_%+\-@]|\.[a-z0-9])|${PROVIDER_ALONE})`,
  'g',
);
/** The separators inside a matched address, in order; labels never contain spaces, brackets or '.'/'@'. */
const ADDRESS_SEPARATOR = new RegExp(
  String.raw`${SPACES}[\[({<]${SPACES}(?:at|dot|@|\.)${SPACES}[\])}>]${SPACES}|${WORD_GAP}(?:at|dot)${WORD_GAP}|${GAP}(?:@|\.)${GAP}|${SPACES}@${SPACES}|\.`,
  'g',
);
const TOP_LEVEL_DOMAIN = /^[a-z]{2,24}$/;
/** Words that follow "at" in ordinary prose; "see you at home.then" is not home.then. */
const NOT_A_DOMAIN = new Set(['the', 'a', 'an', 'this', 'that', 'my', 'your', 'our', 'his', 'her', 'their', 'home', 'school', 'work']); // prettier-ignore

/** Where an "at" of an address may be; the address regex runs only around those followed by a domain. */
const AT_ANCHOR = new RegExp(AT, 'g');
/** A domain ending in a top-level domain ("gmail dot com", "x.co.uk"), or a provider alone; "at 3.30pm" is not one. */
const DOMAIN_AFTER_AT = new RegExp(
  String.raw`(?:${LABEL}(?:${DOT}${LABEL}){0,5}${DOT}[a-z]{2,24}(?![a-z0-9_%+\-@])|${PROVIDER_ALONE})`,
  'y',
);
/**
 * An "at" followed by a domain: an address is rewritten only where AT_ANCHOR's match has DOMAIN_AFTER_AT right after
 * it. The domain's look-aheads are dropped and its counted repeats loosened, which only adds matches.
 */
const ANY_LABEL = String.raw`[a-z0-9_%+][a-z0-9_%+\-]*`;
const AT_DOMAIN_GATE = new TextGate(
  String.raw`${AT}(?:${ANY_LABEL}(?:${DOT}${ANY_LABEL})*${DOT}[a-z]{2}|${[...WEBMAIL_NAMES.keys()].join('|')})`,
);
/**
 * How far before its "at" a local part may start: 9 labels of 64 with their dots would be 700, but nobody reads
 * out more than this. Running the address regex only near an "at" makes the pass 3x faster on prose.
 */
const MAX_LOCAL_CHARS = 160;
/** How far after its "at" a read-out domain may run: seven labels of a dozen letters with their spoken dots. */
const MAX_DOMAIN_CHARS = 200;
/** Later starts tried for one "at" when the address read so far is prose; bounds the work on "a at b.c a at b.c...". */
const MAX_TRIES_PER_AT = 12;

/** The text with every spelled-out e-mail address written as one ("jo.bloggs@gmail.com", "jhughes@gmail"). */
export function spelledAddresses(text: string, gates: GateHits): MappedText | undefined {
  if (!gates.mayMatch(AT_DOMAIN_GATE)) return undefined;
  const edits: TextEdit[] = [];
  let searchedTo = 0;
  for (const at of matchesOf(AT_ANCHOR, text)) {
    if (at.index < searchedTo) continue;
    DOMAIN_AFTER_AT.lastIndex = at.index + at[0].length;
    const domain = DOMAIN_AFTER_AT.exec(text);
    if (domain === null) continue;
    // "jo.bloggs@gmail.com" as written needs nothing: only look back when a dot was read out on either side.
    if (at[0] === '@' && !/[^a-z0-9_%+.-]/.test(domain[0]) && !spokenDotBefore(text, at.index)) continue;
    // The regex runs on a window around this "at" only: run on the whole text from here, a miss would read to the end.
    const window = windowOf(text, at.index - MAX_LOCAL_CHARS, at.index + at[0].length + MAX_DOMAIN_CHARS, searchedTo);
    SPELLED_ADDRESS.lastIndex = 0;
    for (let tries = 0; tries < MAX_TRIES_PER_AT; tries++) {
      const match = SPELLED_ADDRESS.exec(window.text);
      if (match === null) break;
      const start = window.start + match.index;
      if (start > at.index) break;
      const end = start + match[0].length;
      const read = end > at.index ? readSpelledAddress(match[0], start) : 'earlier';
      if (Array.isArray(read)) {
        edits.push(...read);
        searchedTo = end;
        break;
      }
      if (read === 'not-an-address') break;
      // "me at sam dot teacher at gmail dot com" is not "me@sam.teacher": try the local part starting later.
      SPELLED_ADDRESS.lastIndex = match.index + 1;
    }
  }
  return applyEdits(text, edits);
}

/**
 * The edits that write a spelled address plainly; 'prose-before' when the words before the "at" are prose (a later
 * start may still be an address), 'not-an-address' when nothing starting later can be one either.
 */
/** Characters a label or address runs on with; a window is widened over them to reach a word break. */
const IN_WORD = /[a-z0-9_%+.\-@]/;
/** How far a window is widened to reach a word break; a longer run is no label anyone reads out. */
const MAX_WIDEN = 64;

/**
 * text.slice(from, to), widened to word breaks so the regexes' look-arounds read it as they read the whole text,
 * and starting no earlier than `floor` (the end of the last address read).
 */
function windowOf(text: string, from: number, to: number, floor: number): { start: number; text: string } {
  let start = Math.max(floor, from, 0);
  let end = Math.min(text.length, to);
  for (let k = 0; start > floor && k < MAX_WIDEN && IN_WORD.test(text[start - 1]!); k++) start--;
  for (let k = 0; end < text.length && k < MAX_WIDEN && IN_WORD.test(text[end]!); k++) end++;
  return { start, text: text.slice(start, end) };
}

function spokenDotBefore(text: string, at: number): boolean {
  return SPOKEN_DOT_HINT.test(text.slice(Math.max(0, at - MAX_LOCAL_CHARS), at));
}

function readSpelledAddress(candidate: string, base: number): TextEdit[] | 'prose-before' | 'not-an-address' {
  const separators = [...matchesOf(ADDRESS_SEPARATOR, candidate)];
  const labels: string[] = [];
  const edits: TextEdit[] = [];
  let at = 0;
  let sawAt = false;
  let domainStart = -1;
  let plainAt = false;
  let mentionAt = false;
  for (const separator of separators) {
    labels.push(candidate.slice(at, separator.index));
    const isAt = separator[0].includes('@') || (separator[0].includes('at') && !separator[0].includes('dot'));
    if (isAt) {
      if (sawAt) return 'prose-before'; // two "at"s: the first belongs to the prose
      sawAt = true;
      domainStart = labels.length;
      plainAt = /^[ \t\-_~]+at[ \t\-_~]+$/.test(separator[0]);
      mentionAt = /^[ \t]+@$/.test(separator[0]);
    }
    const wanted = isAt ? '@' : '.';
    if (separator[0] !== wanted) {
      edits.push({ start: base + separator.index, end: base + separator.index + separator[0].length, text: wanted });
    }
    at = separator.index + separator[0].length;
  }
  labels.push(candidate.slice(at));
  if (!sawAt || labels.some((label) => label === '')) return 'not-an-address';
  const local = labels.slice(0, domainStart);
  const domain = labels.slice(domainStart);
  if (domain.some((label) => label.startsWith('-') || label.endsWith('-'))) return 'not-an-address';
  if (domain.length === 1) {
    // "jhughes at gmail", "jhughes (at) gmail": the provider's name says it is an address. With a plain "at" the
    // words before must not be prose ("have a look at gmail") and the provider no everyday word ("at outlook").
    const provider = domain[0]!;
    if (!WEBMAIL_NAMES.has(provider) || (plainAt && EVERYDAY_WEBMAIL_NAMES.has(provider))) return 'not-an-address';
    if (plainAt && local.length === 1 && isProse(local[0]!)) return 'prose-before';
    return edits.length === 0 ? 'not-an-address' : edits;
  }
  if (!TOP_LEVEL_DOMAIN.test(domain[domain.length - 1]!) || NOT_A_DOMAIN.has(domain[0]!)) return 'not-an-address';
  // "tiktok @fiona.swims" is a handle after its platform; "jo @gmail.com" is still an address.
  if (mentionAt && !WEBMAIL_NAMES.has(domain[0]!)) return 'not-an-address';
  // "I blog at jo.net", "more at www.x.com": a plain "at" before a written-out site is prose, not an address.
  if (plainAt && domain[0] === 'www') return 'not-an-address';
  if (plainAt && local.length === 1 && isProse(local[0]!)) return 'prose-before';
  return edits.length === 0 ? 'not-an-address' : edits;
}

// ---- web addresses: "fionaswims dot com", "jo-art [dot] co [dot] uk" ----

/** Endings a personal site is given with when read out; a closed list, so "this dot that" stays prose. */
const SPOKEN_TOP_LEVEL_DOMAINS = new Set(
  'com net org uk co io me info blog site online website page xyz dev app art studio photo photos photography club live life tv biz eu ie scot wales london'.split(
    ' ',
  ),
);
const SPELLED_DOT = String.raw`(?:${BRACKETED_DOT}|${WORD_GAP}dot${WORD_GAP})`;
/** A host of up to 5 labels with at least one dot read out ("dot", "[dot]", "(.)"). */
const SPELLED_HOST = new RegExp(
  String.raw`(?<![a-z0-9_%+.\-@/])(?:www(?:\.|${SPELLED_DOT}))?[a-z0-9][a-z0-9\-]{0,62}(?:(?:\.|${SPELLED_DOT})[a-z0-9][a-z0-9\-]{0,62}){0,3}${SPELLED_DOT}(?:[a-z]{2,12})(?:(?:\.|${SPELLED_DOT})[a-z]{2,3})?(?![a-z0-9_\-@])`,
  'g',
);
/** Where a dot is read out; the host regex runs only just before these. */
const SPELLED_DOT_ANCHOR = new RegExp(SPELLED_DOT, 'g');
/**
 * How far before a read-out dot its host may start (www, and up to three labels of a personal site's length).
 * Running the host regex only there makes the pass 10x cheaper on mail that says "anecdote" or "dotted".
 */
const MAX_HOST_PREFIX_CHARS = 100;
/** How far after a read-out dot the rest of its host may run (two more labels and dots). */
const MAX_HOST_SUFFIX_CHARS = 60;
/** A dot read out anywhere ("dot", "(.)"): before a plain "@", the sign of a local part read out. */
const SPOKEN_DOT_HINT = /dot|[[({<] ?\. ?[\])}>]/;
/** A host's last read-out dot: after a label character, before the two letters a host's ending has at least. */
const SPELLED_HOST_GATE = new TextGate(String.raw`[a-z0-9\-]${SPELLED_DOT}[a-z]{2}`);
const HOST_SEPARATOR = new RegExp(String.raw`${BRACKETED_DOT}|${WORD_GAP}dot${WORD_GAP}|\.`, 'g');

/** The text with every web address read out ("jhughes dot com") written as one ("jhughes.com"). */
export function spelledHosts(text: string, gates: GateHits): MappedText | undefined {
  if (!gates.mayMatch(SPELLED_HOST_GATE)) return undefined;
  const edits: TextEdit[] = [];
  let searchedTo = 0;
  for (const dot of matchesOf(SPELLED_DOT_ANCHOR, text)) {
    if (dot.index < searchedTo) continue;
    const window = windowOf(text, dot.index - MAX_HOST_PREFIX_CHARS, dot.index + MAX_HOST_SUFFIX_CHARS, searchedTo);
    SPELLED_HOST.lastIndex = 0;
    for (let match = SPELLED_HOST.exec(window.text); match !== null; match = SPELLED_HOST.exec(window.text)) {
      const start = window.start + match.index;
      if (start > dot.index) break;
      const end = start + match[0].length;
      if (end <= dot.index) continue; // a host before this dot, read at its own
      const hostEdits = readSpelledHost(match[0], start);
      if (hostEdits !== undefined) edits.push(...hostEdits);
      searchedTo = end;
      break;
    }
  }
  return applyEdits(text, edits);
}

/** The edits that write one read-out host plainly, or undefined when it is prose ("this dot com bubble"). */
function readSpelledHost(candidate: string, base: number): TextEdit[] | undefined {
  const labels: string[] = [];
  const edits: TextEdit[] = [];
  let at = 0;
  for (const separator of matchesOf(HOST_SEPARATOR, candidate)) {
    labels.push(candidate.slice(at, separator.index));
    if (separator[0] !== '.') {
      const start = base + separator.index;
      edits.push({ start, end: start + separator[0].length, text: '.' });
    }
    at = separator.index + separator[0].length;
  }
  labels.push(candidate.slice(at));
  const name = labels[0] === 'www' ? labels[1] : labels[0];
  // "this dot com bubble", "a dot on the map": the name before the first dot must be no everyday word.
  if (name === undefined || isProse(name) || name.length < 3) return undefined;
  if (!SPOKEN_TOP_LEVEL_DOMAINS.has(labels[labels.length - 1]!)) return undefined;
  return edits;
}

/** Words that come before "at" in prose about mail ("an account at gmail", "look at gmail"), not mailbox names. */
const BEFORE_AT_IN_PROSE = new Set(
  `look looking looked check checking checked log logged sign signed account accounts address addresses inbox email
  emails mailbox work works worked working job jobs staff team people someone anyone friend friends colleague
  colleagues available arrive arrived found good bad great better best blog blogs vlog post posts write writes
  stuff things site online info details photos pictures tickets book apply register visit live located based
  hosted listed published shop buy order more everything`.split(/\s+/),
);

function isProse(word: string): boolean {
  return COMMON_WORDS.has(word) || NOT_A_DOMAIN.has(word) || BEFORE_AT_IN_PROSE.has(word);
}
