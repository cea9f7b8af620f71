// Reads one written telephone number with Google's libphonenumber metadata (full, GB by default): what it dials,
// whether it is a real number, and of what type. Shared by the phone detector's readers.

import { parsePhoneNumberFromString, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';
import { dramaNumberType } from './drama-numbers.js';

/**
 * Metadata look-ups per text. Each costs 10-30 microseconds, and a page of spaced digits ("0 1 2 3 ...") offers
 * many ways to split every run: 1,000 look-ups is about 20 ms, far more numbers than any real message holds. Past
 * the cap, a run shaped like a UK or international number is reported unread (type unknown), never let through.
 */
export const MAX_NUMBER_PARSES = 1000;

/** Metadata look-ups left for one text. */
export interface ParseBudget {
  parses: number;
}

export interface ReadNumber {
  type: string;
  e164: string;
}

/** Digit counts a dialable number can have: UK national 8-11 with the 0, E.164 up to 15 after the '+'. */
export const MIN_DIGITS = 7;
export const MAX_DIGITS = 15;

/** "+44 (0)7700 ...": the bracketed trunk 0 is not dialled from abroad. */
const BRACKETED_TRUNK = /^(\+[0-9]{1,3})[ \t\-.]*\(0\)/;
const NOT_DIALLED = /[^0-9+]/g;
/**
 * Ten digits grouped 3-3-4 or with the first three in brackets ("(713) 853-6450", "713-853-6450") are a North
 * American number, not a UK mobile written without its 0 (people write those 4-6 or 4-3-3: "7700 900123").
 */
const NORTH_AMERICAN_GROUPING = /^\(?[0-9]{3}\)?[ \t\-./]*[0-9]{3}[ \t\-./]+[0-9]{4}$|^\([0-9]{3}\)/;

/** The digits a written number dials, with '+' for an international prefix ("0044 ..." -> "+44..."). */
export function dialledDigits(written: string): string {
  const digits = written.replace(BRACKETED_TRUNK, '$1').replace(NOT_DIALLED, '');
  return digits.startsWith('00') ? '+' + digits.slice(2) : digits;
}

/** The count of digits a written number dials, without the '+'. */
export function digitCount(dialled: string): number {
  return dialled.startsWith('+') ? dialled.length - 1 : dialled.length;
}

/**
 * The number `written` dials, when it is a real (or Ofcom drama) number. `alone`: the digits are the whole run,
 * so a UK mobile written without its 0 ("7700 900123") or without the '+' of its country code ("447700 900123", as
 * WhatsApp shows numbers and wa.me links carry them) may be read.
 */
export function readNumber(written: string, alone: boolean, budget: ParseBudget): ReadNumber | undefined {
  const digits = dialledDigits(written);
  const count = digitCount(digits);
  if (count < MIN_DIGITS || count > MAX_DIGITS) return undefined;
  // Without a '+' or trunk 0, only a UK mobile written without its 0 or without its '+' reads as a number.
  const withoutTrunk = alone && digits.startsWith('7') && count === 10 && !NORTH_AMERICAN_GROUPING.test(written.trim());
  const withoutPlus = alone && digits.startsWith('447') && count === 12;
  if (!digits.startsWith('+') && !digits.startsWith('0') && !withoutTrunk && !withoutPlus) return undefined;
  if (budget.parses-- <= 0) return undefined;
  return lookUp(withoutPlus ? `+${digits}` : digits);
}

/**
 * Numbers already looked up, by their digits: the school's switchboard in every signature is read once, not once
 * per message (a look-up is 10-30 microseconds, a tenth of screening a message). Cleared when full: enough for the
 * numbers a school's signatures repeat, and a personal number from some message is not kept in memory for long.
 */
const MAX_REMEMBERED_NUMBERS = 256;
const remembered = new Map<string, ReadNumber | null>();

function lookUp(digits: string): ReadNumber | undefined {
  const known = remembered.get(digits);
  if (known !== undefined) return known ?? undefined;
  const number = readDigits(digits);
  if (remembered.size >= MAX_REMEMBERED_NUMBERS) remembered.clear();
  remembered.set(digits, number === undefined ? null : Object.freeze(number));
  return number;
}

function readDigits(digits: string): ReadNumber | undefined {
  const number = parsePhoneNumberFromString(digits, 'GB');
  if (number === undefined) return undefined;
  const e164 = number.number;
  const drama = dramaNumberType(e164.slice(1));
  if (drama !== undefined) return { type: drama, e164 };
  if (!number.isValid()) return undefined;
  return { type: typeName(number), e164 };
}

/**
 * A North American number written without its +1 ("(415) 333-1604", "920-450-8099"): read as one only when the
 * sentence offers it as a number (the caller checks), since ten digits grouped 3-3-4 are also ids and codes.
 */
export function readNorthAmericanNumber(written: string, budget: ParseBudget): ReadNumber | undefined {
  const digits = dialledDigits(written);
  if (digits.length !== 10 || !NORTH_AMERICAN_GROUPING.test(written.trim())) return undefined;
  if (budget.parses-- <= 0) return undefined;
  return lookUp('+1' + digits);
}

/** The E.164 form of a number written in any format, or undefined when it is not one (organisation settings). */
export function e164Of(written: string): string | undefined {
  return parsePhoneNumberFromString(dialledDigits(written), 'GB')?.number;
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
