// Password hashing for review-app users and SMTP AUTH users: scrypt from node:crypto, parameters kept in the hash.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Hash strings use the PHC string format: `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (base64, no padding), so the cost can
 * be raised later while old hashes still verify.
 */
const PREFIX = '$scrypt$';
/** N = 2^15, r = 8, p = 1: OWASP's minimum for scrypt; about 50-100 ms and 32 MiB per hash on a small server. */
const DEFAULT_LOG2_N = 15;
const DEFAULT_R = 8;
const DEFAULT_P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/**
 * Limits on parameters read from a stored hash: a tampered or mistyped hash must not make one login cost
 * gigabytes of memory or minutes of CPU (2^20 * 16 * 128 bytes = 2 GiB is the worst accepted).
 */
const MAX_LOG2_N = 20;
const MAX_R = 16;
const MAX_P = 4;
const MAX_KEY_BYTES = 64;
/** Longer passwords are refused rather than hashed: nobody types more, and it bounds the work per attempt. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MIN_PASSWORD_LENGTH = 12;

interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function derive(plain: string, salt: Buffer, keyBytes: number, log2N: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2N;
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(plain.normalize('NFC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encode(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

function parse(hash: string): ScryptParams | undefined {
  if (!hash.startsWith(PREFIX)) return undefined;
  const [params, salt, key, ...rest] = hash.slice(PREFIX.length).split('$');
  if (params === undefined || salt === undefined || key === undefined || rest.length > 0) return undefined;
  const match = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(params);
  if (match === null) return undefined;
  const [log2N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (log2N < 1 || log2N > MAX_LOG2_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return undefined;
  if (!/^[A-Za-z0-9+/]+$/.test(salt) || !/^[A-Za-z0-9+/]+$/.test(key)) return undefined;
  const parsed = { log2N, r, p, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
  if (parsed.key.length < 16 || parsed.key.length > MAX_KEY_BYTES || parsed.salt.length < 8) return undefined;
  return parsed;
}

/** Whether `hash` is a hash this module wrote (or could have written): for checking configuration up front. */
export function isPasswordHash(hash: string): boolean {
  return parse(hash) !== undefined;
}

export async function hashPassword(plain: string): Promise<string> {
  if (plain.length > MAX_PASSWORD_LENGTH)
    throw new RangeError(`passwords are limited to ${MAX_PASSWORD_LENGTH} characters`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(plain, salt, KEY_BYTES, DEFAULT_LOG2_N, DEFAULT_R, DEFAULT_P);
  return `${PREFIX}ln=${DEFAULT_LOG2_N},r=${DEFAULT_R},p=${DEFAULT_P}$${encode(salt)}$${encode(key)}`;
}

/** True only when `plain` matches; false for a wrong password and for a hash that is not one of ours. */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  const params = parse(hash);
  if (params === undefined || plain.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(plain, params.salt, params.key.length, params.log2N, params.r, params.p);
  return timingSafeEqual(key, params.key);
}

/** Whether a hash was made with weaker parameters than today's, so it should be re-hashed at the next login. */
export function needsRehash(hash: string): boolean {
  const params = parse(hash);
  return params === undefined || params.log2N < DEFAULT_LOG2_N || params.r < DEFAULT_R || params.key.length < KEY_BYTES;
}
