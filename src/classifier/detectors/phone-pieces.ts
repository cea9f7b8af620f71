// Numbers given in pieces so no run of digits looks like a number: "07700 then 900 then 123", "my number is 07700
// and the rest is 900123", "07700, 900, 123". Groups of digits joined by linking words are read as one number.

import { digitCount, dialledDigits, readNumber, type ParseBudget, type ReadNumber } from './phone-number.js';
import { matchesOf } from '../regex-matches.js';
import { TextGate } from '../text-gates.js';

/** A group of 2 to 12 digits (a space, dot or dash may sit inside: "07700 900"). */
const DIGIT_GROUP = /(?<![0-9a-z+_@£$€#])\+?[0-9](?:[ \t\-.]?[0-9]){1,11}(?![0-9])/g;
/**
 * What may join two pieces: punctuation and a few words that say "and then the next digits" ("then", "and the rest
 * is", "followed by", "last bit"). Only these: an ordinary word between two numbers keeps them apart.
 */
const LINK_PUNCTUATION = String.raw`(?:[,;&+/:|(]|\.{1,3}|-{1,2})`;
const LINK_WORD = String.raw`(?:(?:and|then|followed|by|plus|next|after|that|the|rest|is|are|it's|its|last|first|second|third|final|other|remaining|half|bit|part|digits|ending|ends|in|with|finally|more|of|it|number|three|four|five|six|seven|eight)[ \t]*[,:;)]?[ \t]*)`;
const LINK = new RegExp(String.raw`^[ \t]*${LINK_PUNCTUATION}?[ \t]*${LINK_WORD}{0,6}$`);
/**
 * Two groups with a link between them, as every pieced number has: a digit, a link that is not blank alone (linked()
 * refuses those), and a digit or '+'. A lone '.' or '-' between digits sits inside a group, unless a '+' follows it
 * or the group before was cut at its twelfth digit (so twelve digits run there); those are the last two cases.
 */
export const PIECED_NUMBER_GATE = new TextGate(
  String.raw`[0-9](?:[ \t]*${LINK_PUNCTUATION}?[ \t]*${LINK_WORD}+|[ \t]+${LINK_PUNCTUATION}[ \t]*|${LINK_PUNCTUATION}[ \t]+|\.{2,3}|--|[,;&+/:|(])\+?[0-9]|[0-9][.\-]\+[0-9]|[0-9](?:[ \t\-.]?[0-9]){11}`,
);
const NOT_DIGIT = /[^0-9]/g;
/** Words that say the next digits continue the number; without one, the text before must be about a phone. */
const CONTINUING =
  /\b(?:then|rest|followed|next|last|second|third|final|other|remaining|plus|ending|ends|finally|more)\b|[+&]|\.\.|-/;
/** "my number is", "call me on", "text": the pieces that follow are a number, even joined by a bare "and" or ",". */
export const PHONE_CUE =
  /\b(?:number|no|num|mobile|mob|phone|cell|tel|telephone|call|ring|text|txt|whatsapp|digits|contact|reach)\b[^.!?\n]{0,30}$/;
/** How far before the first piece PHONE_CUE is looked for. */
export const CUE_WINDOW = 40;
/** A link is short; longer text between two groups is a sentence, not a pause in a number. */
const MAX_LINK_CHARS = 40;
/** Pieces joined into one number at most; "07700 then 900 then 123" is three. */
const MAX_PIECES = 4;
/** A number worth giving in pieces has a full national length; shorter joins are dates, times and scores. */
const MIN_JOINED_DIGITS = 10;

export interface PiecedNumber extends ReadNumber {
  start: number;
  end: number;
}

/**
 * Numbers in pieces in `text`, skipping any piece inside a span already reported (`covered`, sorted by start).
 */
export function findPiecedNumbers(
  text: string,
  covered: readonly { start: number; end: number }[],
  budget: ParseBudget,
): PiecedNumber[] {
  const groups: { start: number; end: number }[] = [];
  let next = 0; // covered is sorted, and so are the groups: one walk through both
  for (const match of matchesOf(DIGIT_GROUP, text)) {
    const group = { start: match.index, end: match.index + match[0].length };
    while (next < covered.length && covered[next]!.end <= group.start) next++;
    const span = covered[next];
    if (span === undefined || span.start >= group.end) groups.push(group);
  }
  const found: PiecedNumber[] = [];
  let first = 0;
  while (first < groups.length - 1) {
    // The chain of linked pieces starting at `first`.
    let last = first;
    while (
      last + 1 < groups.length &&
      last - first + 1 < MAX_PIECES &&
      linked(text, groups[last]!, groups[last + 1]!)
    ) {
      last++;
    }
    let matched = false;
    if (last > first && !continues(text, groups, first, last)) last = first;
    if (last > first && budget.parses <= 0) {
      // With the look-ups spent, a chain shaped like a number is reported unread rather than let through.
      if (shapedLikeNumber(text, groups.slice(first, last + 1))) {
        found.push({ start: groups[first]!.start, end: groups[last]!.end, type: 'unknown', e164: '' });
        first = last + 1;
        continue;
      }
    }
    for (let end = last; end > first && budget.parses > 0; end--) {
      const number = readPieces(text, groups.slice(first, end + 1), budget);
      if (number !== undefined) {
        found.push({ start: groups[first]!.start, end: groups[end]!.end, ...number });
        first = end + 1;
        matched = true;
        break;
      }
    }
    if (!matched) first++;
  }
  return found;
}

function linked(text: string, left: { end: number }, right: { start: number }): boolean {
  const gap = right.start - left.end;
  if (gap === 0 || gap > MAX_LINK_CHARS) return false;
  const between = text.slice(left.end, right.start);
  // Spaces alone are a separator the whole-run reader already tried; a line break ends the number.
  return between.trim() !== '' && LINK.test(between);
}

/** Whether the chain says it is one number: a continuing word between pieces, or a phone cue before it. */
function continues(
  text: string,
  groups: readonly { start: number; end: number }[],
  first: number,
  last: number,
): boolean {
  if (CONTINUING.test(text.slice(groups[first]!.end, groups[last]!.start))) return true;
  const start = groups[first]!.start;
  return PHONE_CUE.test(text.slice(Math.max(0, start - CUE_WINDOW), start));
}

/** The digits the pieces dial together; only the first piece can carry an international prefix. */
function joinedDigits(text: string, pieces: readonly { start: number; end: number }[]): string {
  return pieces
    .map((p, i) =>
      i === 0 ? dialledDigits(text.slice(p.start, p.end)) : text.slice(p.start, p.end).replace(NOT_DIGIT, ''),
    )
    .join('');
}

function shapedLikeNumber(text: string, pieces: readonly { start: number; end: number }[]): boolean {
  const joined = joinedDigits(text, pieces);
  return digitCount(joined) >= MIN_JOINED_DIGITS && /^(?:\+|0)/.test(joined);
}

function readPieces(
  text: string,
  pieces: readonly { start: number; end: number }[],
  budget: ParseBudget,
): ReadNumber | undefined {
  const joined = joinedDigits(text, pieces);
  if (digitCount(joined) < MIN_JOINED_DIGITS || !/^(?:\+|0)/.test(joined)) return undefined;
  return readNumber(joined, false, budget);
}
