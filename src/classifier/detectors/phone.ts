// Telephone numbers in any format ("07700 900123", "+44 (0)7700 900123", "0 7 7 0 0 9 0 0 1 2 3"), read with
// Google's libphonenumber metadata (full, GB by default) so dates, prices, ids and ranges are not reported.

import { z } from 'zod';
import { parsePhoneNumberFromString, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';
import type { MappedText } from '../mapped-text.js';
import type { Detector, DetectorContext, DetectorHit } from './types.js';
import { dramaNumberType } from './drama-numbers.js';

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
 * A run of 7 to 32 digits (two numbers side by side at most) with up to three separators between any two ("077-009-00123", "(01632) 960000",
 * "0 7 7 0 0 ..."); the repetition bound keeps the regex linear on a page of digits.
 */
const CANDIDATE = /(?<![0-9a-z+_@£$€#])(?:\+|\(\+?)?[0-9](?:[ \t\-./()]{0,3}[0-9]){6,31}(?![0-9])/g;
/** "+44 (0)7700 ...": the bracketed trunk 0 is not dialled from abroad. */
const BRACKETED_TRUNK = /^(\+[0-9]{1,3})[ \t\-.]*\(0\)/;
const SEPARATOR_RUN = /[ \t\-./()]+/g;
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
    const text = mapped.text;
    const wanted = new Set(options.types);
    const allowed = options.allowOrganisation ? organisationNumbers(context.organisation.phones) : new Set<string>();
    const hits: DetectorHit[] = [];
    const budget = { parses: MAX_NUMBER_PARSES };
    for (const match of text.matchAll(CANDIDATE)) {
      if (DATE_LIKE.test(match[0]) || isLabelledIdentifier(text, match.index)) continue;
      for (const found of readNumbers(match[0], match.index, budget)) {
        if (allowed.has(found.e164)) continue;
        if (!isWanted(wanted, found.type)) continue;
        hits.push({ start: found.start, end: found.end, detail: { numberType: found.type, e164: found.e164 } });
      }
    }
    return hits;
  },
};

/** North American numbers cannot be told apart: such a number counts as either type. */
function isWanted(wanted: ReadonlySet<string>, type: string): boolean {
  if (wanted.has('any') || wanted.has(type)) return true;
  return type === 'fixed-line-or-mobile' && (wanted.has('mobile') || wanted.has('fixed-line'));
}

interface FoundNumber {
  start: number;
  end: number;
  type: string;
  e164: string;
}

/** The numbers in one candidate run: the whole run, or, when it is two numbers written side by side, each. */
/**
 * Metadata look-ups per text. Each costs tens of microseconds, and a page of spaced digits ("0 1 2 3 ...") makes
 * hundreds of ways to split every run: without a cap a crafted megabyte takes minutes. Past the cap, a run shaped
 * like a UK or international number is reported unread (type unknown) rather than let through unread.
 */
export const MAX_NUMBER_PARSES = 5000;

function readNumbers(candidate: string, base: number, budget: { parses: number }): FoundNumber[] {
  if (budget.parses <= 0) return unreadNumber(candidate, base);
  const whole = readNumber(candidate, true, budget);
  if (whole !== undefined) return [{ start: base, end: base + candidate.length, ...whole }];
  // Shorter than two numbers side by side: a wrong number, not two right ones.
  if (candidate.replace(/[^0-9]/g, '').length < MIN_DIGITS_OF_TWO_NUMBERS) return [];
  // Split at separators: groups of digits with their offsets.
  const groups: { start: number; end: number }[] = [];
  let at = 0;
  for (const separator of candidate.matchAll(SEPARATOR_RUN)) {
    if (separator.index > at) groups.push({ start: at, end: separator.index });
    at = separator.index + separator[0].length;
  }
  if (at < candidate.length) groups.push({ start: at, end: candidate.length });
  const found: FoundNumber[] = [];
  let first = 0;
  while (first < groups.length) {
    let matched = false;
    for (let last = groups.length - 1; last >= first; last--) {
      const start = groups[first]!.start;
      const end = groups[last]!.end;
      if (start === 0 && end === candidate.length) continue;
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

function unreadNumber(candidate: string, base: number): FoundNumber[] {
  const digits = dialledDigits(candidate);
  const count = digits.replace('+', '').length;
  const shaped = (digits.startsWith('0') || digits.startsWith('+')) && count >= 10 && count <= MAX_DIGITS;
  return shaped ? [{ start: base, end: base + candidate.length, type: 'unknown', e164: '' }] : [];
}

function dialledDigits(written: string): string {
  const digits = written.replace(BRACKETED_TRUNK, '$1').replace(/[^0-9+]/g, '');
  return digits.startsWith('00') ? '+' + digits.slice(2) : digits;
}

/** Digit counts a dialable number can have: UK national 8-11 with the 0, E.164 up to 15 after the '+'. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

/** Two UK national numbers side by side have at least 16 digits (8 + 8); fewer is one number or none. */
const MIN_DIGITS_OF_TWO_NUMBERS = 16;

/** `alone`: the digits are the whole run, so a UK mobile written without its 0 ("7700 900123") may be read. */
function readNumber(
  written: string,
  alone: boolean,
  budget: { parses: number },
): { type: string; e164: string } | undefined {
  const digits = dialledDigits(written);
  const count = digits.replace('+', '').length;
  if (count < MIN_DIGITS || count > MAX_DIGITS) return undefined;
  // Without a '+' or trunk 0, only a UK mobile written without its 0 ("7700 900123") reads as a number.
  const withoutTrunk = alone && digits.startsWith('7') && count === 10;
  if (!digits.startsWith('+') && !digits.startsWith('0') && !withoutTrunk) return undefined;
  if (budget.parses-- <= 0) return undefined;
  const number = parsePhoneNumberFromString(digits, 'GB');
  if (number === undefined) return undefined;
  const e164 = number.number;
  const drama = dramaNumberType(e164.slice(1));
  if (drama !== undefined) return { type: drama, e164 };
  if (!number.isValid()) return undefined;
  return { type: typeName(number), e164 };
}

function typeName(number: PhoneNumber): string {
  const type: NumberType = number.getType();
  switch (type) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'fixed-line';
    case 'FIXED_LINE_OR_MOBILE':
      return 'fixed-line-or-mobile';
    case 'TOLL_FREE':
      return 'toll-free';
    case 'PREMIUM_RATE':
      return 'premium-rate';
    case 'SHARED_COST':
      return 'shared-cost';
    case 'VOIP':
      return 'voip';
    case 'PERSONAL_NUMBER':
      return 'personal';
    case 'UAN':
      return 'uan';
    case 'PAGER':
      return 'pager';
    case 'VOICEMAIL':
      return 'voicemail';
    default:
      return 'unknown';
  }
}

function isLabelledIdentifier(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - LOOK_BEHIND_CHARS), start);
  return ID_LABEL.test(before) && !ID_LABEL_GUARD.test(before);
}

/** The school's own numbers as E.164, in whatever format they were configured. */
function organisationNumbers(phones: readonly string[]): Set<string> {
  const numbers = new Set<string>();
  for (const phone of phones) {
    const number = parsePhoneNumberFromString(dialledDigits(phone), 'GB');
    if (number !== undefined) numbers.add(number.number);
  }
  return numbers;
}
