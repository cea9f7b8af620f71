// Telephone numbers in any format ("07700 900123", "+44 (0)7700 900123", "0 7 7 0 0 9 0 0 1 2 3"), read with
// Google's libphonenumber metadata (full, GB by default) so dates, prices, ids and ranges are not reported.

import { z } from 'zod';
import type { MappedText } from '../mapped-text.js';
import { mayMatch, scanOnce, type Detector, type DetectorContext, type DetectorHit } from './types.js';
import {
  dialledDigits,
  digitCount,
  e164Of,
  MAX_DIGITS,
  MIN_DIGITS,
  MAX_NUMBER_PARSES,
  readNorthAmericanNumber,
  readNumber,
  type ParseBudget,
} from './phone-number.js';
import { CUE_WINDOW, findPiecedNumbers, PHONE_CUE, PIECED_NUMBER_GATE } from './phone-pieces.js';
import { matchesOf } from '../regex-matches.js';
import { TextGate } from '../text-gates.js';

export { MAX_NUMBER_PARSES } from './phone-number.js';

export const PHONE_TYPES = [
  'mobile',
  'fixed-line',
  'toll-free',
  'premium-rate',
  'shared-cost',
  'voip',
  'personal',
  'uan',
  'pager',
  'voicemail',
  'unknown',
  'any',
] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

const optionsSchema = z
  .object({
    types: z.array(z.enum(PHONE_TYPES)).default(['any']),
    /** Numbers in organisation.phones (the school's own) are not reported. */
    allowOrganisation: z.boolean().default(true),
  })
  .strict();
export type PhoneOptions = z.infer<typeof optionsSchema>;

/**
 * What may sit between two digits of one number: up to three of space, dash, dot, slash, brackets, or a filler
 * ("07700*900*123", "07700 💜 900 💜 123"). The bound keeps the regex linear on a page of digits.
 */
const FILLER = String.raw`(?:\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\u{FE0F}|\u{200D})*|\p{Regional_Indicator})`;
const SEPARATOR = String.raw`(?:[ \t\-./()*~_]{0,3}|[ \t]{0,2}${FILLER}{1,4}[ \t]{0,2})`;
/** A run of 7 to 32 digits (two numbers side by side at most) with separators between any two. */
const CANDIDATE = new RegExp(
  String.raw`(?<![0-9a-z+_@£$€#])(?:\+|\(\+?)?[0-9](?:${SEPARATOR}[0-9]){6,31}(?![0-9])`,
  'gu',
);
/**
 * Seven digits with CANDIDATE's separators between them, every filler read as some non-ASCII characters (pictographs,
 * their modifiers and regional indicators are all outside ASCII): a candidate holds at least that.
 */
const CANDIDATE_GATE = new TextGate(
  String.raw`[0-9](?:(?:[ \t\-./()*~_]{0,3}|[ \t]{0,2}[^\x00-\x7f]+[ \t]{0,2})[0-9]){6}`,
);
const SEPARATOR_RUN = new RegExp(String.raw`(?:[ \t\-./()*~_]|${FILLER})+`, 'gu');
/**
 * Digits apart by one letter, the same each time ("0x7x7x0x0x9x0x0x1x2x3", "07700x900x123"): a filler too. Needs
 * MIN_FILLED_DIGITS, so "3x4" and "1920x1080" stay sizes.
 */
const LETTER_FILLED = /(?<![0-9a-z])[0-9]{1,6}([a-z])[0-9]{1,6}(?:\1[0-9]{1,6}){1,14}(?![0-9a-z])/g;
const MIN_FILLED_DIGITS = 10;
/** Digits, a letter, digits, the letter again and a digit: any letter stands for the repeated one. */
const LETTER_FILLED_GATE = new TextGate(String.raw`[0-9][a-z][0-9]+[a-z][0-9]`);
/**
 * A number broken over two lines, as a mail client wraps a long line ("call me on 07700\n900123"). Read only when
 * the words before offer it as a number: a column of figures is not one number.
 */
const WRAPPED =
  /(?<![0-9a-z+_@£$€#])\+?[0-9](?:[ \t\-.]?[0-9]){3,10}[ \t]*\r?\n[ \t]*[0-9](?:[ \t\-.]?[0-9]){2,10}(?![0-9])/g;
/** The line break of a wrapped number with the digit before and after it. */
const WRAPPED_GATE = new TextGate(String.raw`[0-9][ \t]*\r?\n[ \t]*[0-9]`);
/** Written like a date ("12/03/2024", "01.02.24"): never read as a number. */
const DATE_LIKE = /^\(?[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{2,4}\)?$/;
/** Labels that say the digits after them are an identifier, not something to ring. */
const ID_LABEL = new RegExp(
  String.raw`(?<![a-z0-9])(?:(?:${[
    'candidate', 'centre', 'center', 'customer', 'member', 'membership', 'student', 'pupil', 'learner', 'employee',
    'staff', 'company', 'registration', 'reg', 'charity', 'account', 'acct', 'policy', 'case', 'order', 'booking',
    'national insurance', 'ni', 'asset', 'laptop', 'dfe', 'exam', 'seat', 'application', 'claim', 'parcel',
  ].join('|')})[ \t]*(?:number|no\.?|num|id|#|ref)|${[
    'invoice', 'ref', 'reference', 'room', 'ucas', 'isbn', 'isbn-10', 'isbn-13', 'issn', 'upn', 'uln', 'urn', 'vat',
    'nhs', 'po box', 'p\\.o\\. box', 'page', 'pages', 'sort code', 'tracking', 'serial', 'ticket', 'id', 'order',
  ].join('|')})(?:[ \t]*(?:number|no\.?|num|#))?[ \t]*[:#.\-]?[ \t]*$`,
); // prettier-ignore
/** "my number is", "call me on": the digits are offered as a number, whatever came before. */
const ID_LABEL_GUARD =
  /(?:my|me|mine|mobile|phone|cell|tel|telephone|whatsapp|ring|call|text|number is|on)[ \t]*(?:number|no\.?|num|#)?[ \t]*[:#.-]?[ \t]*$/;
const LOOK_BEHIND_CHARS = 32;

export const phoneDetector: Detector<PhoneOptions> = {
  name: 'phone',
  optionsSchema: optionsSchema as z.ZodType<PhoneOptions>,
  detect(mapped: MappedText, options: PhoneOptions, context: DetectorContext): DetectorHit[] {
    const wanted = new Set(options.types);
    const allowed = options.allowOrganisation ? organisationNumbers(context.organisation.phones) : new Set<string>();
    // Read once per part: the mobile and the landline rules pick their types from the same numbers.
    const found = scanOnce(mapped, context, numbersIn);
    const hits: DetectorHit[] = [];
    for (const number of found) {
      if (allowed.has(number.e164) || !isWanted(wanted, number)) continue;
      hits.push({ start: number.start, end: number.end, detail: { numberType: number.type, e164: number.e164 } });
    }
    return hits;
  },
};

/** Every number in the text, wanted or not, by start: a number no rule wants is still not read again in pieces. */
function numbersIn(mapped: MappedText, context: DetectorContext): readonly FoundNumber[] {
  const text = mapped.text;
  const budget: ParseBudget = { parses: MAX_NUMBER_PARSES };
  const found: FoundNumber[] = [];
  const candidates = mayMatch(context, CANDIDATE_GATE) ? matchesOf(CANDIDATE, text) : [];
  for (const match of candidates) {
    if (DATE_LIKE.test(match[0]) || isLabelledIdentifier(text, match.index)) continue;
    const numbers = readNumbers(match[0], match.index, budget);
    if (numbers.length === 0 && offeredAsNumber(text, match.index)) {
      // "here's my number: 571 722 9755": offered as a number, so a North American one is read as such.
      const number = readNorthAmericanNumber(match[0], budget);
      if (number !== undefined) numbers.push({ start: match.index, end: match.index + match[0].length, ...number });
    }
    found.push(...numbers);
  }
  const letterFilled = mayMatch(context, LETTER_FILLED_GATE) ? matchesOf(LETTER_FILLED, text) : [];
  for (const match of letterFilled) {
    if (countDigits(match[0]) < MIN_FILLED_DIGITS || isLabelledIdentifier(text, match.index)) continue;
    found.push(...readWhole(match[0], match.index, budget));
  }
  const wrapped = mayMatch(context, WRAPPED_GATE) ? matchesOf(WRAPPED, text) : [];
  for (const match of wrapped) {
    if (!offeredAsNumber(text, match.index)) continue;
    found.push(...readWhole(match[0], match.index, budget));
  }
  found.sort((a, b) => a.start - b.start);
  const piecedNumbers = mayMatch(context, PIECED_NUMBER_GATE) ? findPiecedNumbers(text, found, budget) : [];
  for (const pieced of piecedNumbers) {
    if (!isLabelledIdentifier(text, pieced.start)) found.push(pieced);
  }
  return withoutOverlaps(found.sort((a, b) => a.start - b.start));
}

/** North American numbers cannot be told apart: such a number counts as either type. */
function isWanted(wanted: ReadonlySet<string>, number: FoundNumber): boolean {
  const type = number.type;
  // A number left unread (the look-ups were spent) could be of any type: every phone rule reports it.
  if (number.e164 === '' || wanted.has('any') || wanted.has(type)) return true;
  return type === 'fixed-line-or-mobile' && (wanted.has('mobile') || wanted.has('fixed-line'));
}

interface FoundNumber {
  start: number;
  end: number;
  type: string;
  e164: string;
}

/** A run read as one number only (fillers, line breaks): the number, or the run unread once look-ups are spent. */
function readWhole(written: string, base: number, budget: ParseBudget): FoundNumber[] {
  if (budget.parses <= 0) return unreadNumber(written, base);
  const number = readNumber(written, false, budget);
  return number === undefined ? [] : [{ start: base, end: base + written.length, ...number }];
}

/** The numbers in one candidate run: the whole run, or, when it is two numbers written side by side, each. */
function readNumbers(candidate: string, base: number, budget: ParseBudget): FoundNumber[] {
  if (budget.parses <= 0) return unreadNumber(candidate, base);
  const whole = readNumber(candidate, true, budget);
  if (whole !== undefined) return [{ start: base, end: base + candidate.length, ...whole }];
  // Shorter than two numbers side by side: a wrong number, not two right ones.
  if (countDigits(candidate) < MIN_DIGITS_OF_TWO_NUMBERS) return [];
  // Split at separators: groups of digits with their offsets and the digits up to their end.
  const groups: { start: number; end: number; digitsTo: number }[] = [];
  let at = 0;
  let digits = 0;
  const pushGroup = (start: number, end: number): void => {
    digits += countDigits(candidate.slice(start, end));
    groups.push({ start, end, digitsTo: digits });
  };
  for (const separator of matchesOf(SEPARATOR_RUN, candidate)) {
    if (separator.index > at) pushGroup(at, separator.index);
    at = separator.index + separator[0].length;
  }
  if (at < candidate.length) pushGroup(at, candidate.length);
  const found: FoundNumber[] = [];
  let first = 0;
  while (first < groups.length) {
    let matched = false;
    const start = groups[first]!.start;
    const digitsBefore = first > 0 ? groups[first - 1]!.digitsTo : 0;
    // Without a trunk 0 or a '+' a part is never read (readNumber would refuse it): spare the work of trying.
    const dialable = candidate[start] === '0' || candidate[start] === '+' || candidate[start] === '(';
    for (let last = groups.length - 1; dialable && last >= first; last--) {
      const end = groups[last]!.end;
      const count = groups[last]!.digitsTo - digitsBefore;
      if ((start === 0 && end === candidate.length) || count > MAX_DIGITS + 2) continue;
      if (count < MIN_DIGITS) break;
      const number = readNumber(candidate.slice(start, end), false, budget);
      if (number !== undefined) {
        found.push({ start: base + start, end: base + end, ...number });
        first = last + 1;
        matched = true;
        break;
      }
    }
    if (!matched) first++;
  }
  return found;
}

/**
 * A run left unread once the look-ups are spent: reported (type unknown) when it is long enough to hold a number
 * and starts like one, whatever its length, so spending the budget first cannot hide a number behind it.
 */
function unreadNumber(candidate: string, base: number): FoundNumber[] {
  const digits = dialledDigits(candidate);
  const shaped = (digits.startsWith('0') || digits.startsWith('+')) && digitCount(digits) >= MIN_UNREAD_DIGITS;
  return shaped ? [{ start: base, end: base + candidate.length, type: 'unknown', e164: '' }] : [];
}

/** The shortest run reported unread: a UK number with its trunk 0 is at least 10 digits long (bar a few 0800s). */
const MIN_UNREAD_DIGITS = 10;

/** Two UK national numbers side by side have at least 16 digits (8 + 8); fewer is one number or none. */
const MIN_DIGITS_OF_TWO_NUMBERS = 16;

function countDigits(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

/** One number per stretch of text, the first read (sorted input). */
function withoutOverlaps(numbers: FoundNumber[]): FoundNumber[] {
  const kept: FoundNumber[] = [];
  for (const number of numbers) {
    const last = kept[kept.length - 1];
    if (last === undefined || number.start >= last.end) kept.push(number);
  }
  return kept;
}

/** "my number is", "call me on", "text": the words just before `start` offer what follows as a phone number. */
function offeredAsNumber(text: string, start: number): boolean {
  return PHONE_CUE.test(text.slice(Math.max(0, start - CUE_WINDOW), start));
}

function isLabelledIdentifier(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - LOOK_BEHIND_CHARS), start);
  return ID_LABEL.test(before) && !ID_LABEL_GUARD.test(before);
}

/** The school's own numbers as E.164, in whatever format they were configured; read once per settings object. */
const organisationNumberCache = new WeakMap<readonly string[], ReadonlySet<string>>();
function organisationNumbers(phones: readonly string[]): ReadonlySet<string> {
  let numbers = organisationNumberCache.get(phones);
  if (numbers === undefined) {
    numbers = new Set(phones.map(e164Of).filter((n): n is string => n !== undefined));
    organisationNumberCache.set(phones, numbers);
  }
  return numbers;
}
