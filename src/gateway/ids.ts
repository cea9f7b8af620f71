// Hold ids: short, unique across relay instances, sortable by time, safe in URLs and easy to read aloud to a colleague.
import { randomInt } from 'node:crypto';

/** Crockford's base32: digits and upper-case letters without I, L, O and U, so nothing is mistaken for 1, 0 or V. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Milliseconds since 1970 in 9 base32 digits (45 bits) last until the year 3084; fixed width keeps ids sortable. */
const TIME_DIGITS = 9;
/** 30 random bits per id: two relays holding mail in the same millisecond collide about once in a billion. */
const RANDOM_DIGITS = 6;
const ID_LENGTH = TIME_DIGITS + RANDOM_DIGITS;

const RANDOM_SPACE = 32 ** RANDOM_DIGITS;

/**
 * The last id's parts. Ids made in the same millisecond by this process count up from the last random part
 * instead of drawing again (as ULID's monotonic mode does): 20,000 independent draws of 30 bits in one millisecond
 * would repeat one about once in five runs, and a repeated id would make the store refuse a hold.
 */
let last: { time: string; random: number } | undefined;

/** e.g. `01JB3K7QZ-8M4PXZ`: the time part, a dash, the random part. */
export function newHoldId(now: Date = new Date()): string {
  let ms = now.getTime();
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`cannot make a hold id for the time ${String(now)}`);
  let time = '';
  for (let i = 0; i < TIME_DIGITS; i++) {
    time = ALPHABET[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  let value = last?.time === time ? (last.random + 1) % RANDOM_SPACE : randomInt(RANDOM_SPACE);
  last = { time, random: value };
  let random = '';
  for (let i = 0; i < RANDOM_DIGITS; i++) {
    random = ALPHABET[value % 32] + random;
    value = Math.floor(value / 32);
  }
  return `${time}-${random}`;
}

/**
 * Reads an id as a person may type it after hearing it: any case, with spaces or without the dash,
 * O for 0 and I or L for 1. Returns the canonical id, or undefined when the text cannot be one.
 */
export function parseHoldId(text: string): string | undefined {
  const compact = text.trim().toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== ID_LENGTH) return undefined;
  for (const char of compact) if (!ALPHABET.includes(char)) return undefined;
  return `${compact.slice(0, TIME_DIGITS)}-${compact.slice(TIME_DIGITS)}`;
}

/** When the id was made (to the millisecond), read back from its time part. */
export function holdIdTime(id: string): Date | undefined {
  const canonical = parseHoldId(id);
  if (canonical === undefined) return undefined;
  let ms = 0;
  for (const char of canonical.slice(0, TIME_DIGITS)) ms = ms * 32 + ALPHABET.indexOf(char);
  return new Date(ms);
}
