// The PDF standard security handler (ISO 32000-2 7.6.4) with the empty password, as pdf.js's CipherTransformFactory
// applies it: a PDF encrypted only to restrict printing or copying opens without a password, and its streams are
// decrypted here so that pdf-streams.ts can measure what they decode to before pdf.js reads them. A PDF that needs a
// password is not opened by pdf.js at all.

import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { entry, type PdfDict, type PdfValue } from './pdf-syntax.js';

/** A stream's stored bytes, decrypted with the key for its object. */
export type StreamDecryption = (num: number, gen: number, data: Uint8Array) => Uint8Array;

/** How pdf.js would decrypt the streams: 'password' when it would ask for one, 'unsupported' when it cannot open it. */
export type Decryption = StreamDecryption | 'password' | 'unsupported';

/** Padding for the password (Algorithm 2, step a): the empty password is this string whole. */
const PASSWORD_PADDING = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00,
  0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

const md5 = (...parts: Uint8Array[]) => new Uint8Array(createHash('md5').update(Buffer.concat(parts)).digest());
const sha = (bits: 256 | 384 | 512, data: Uint8Array) => new Uint8Array(createHash(`sha${bits}`).update(data).digest());
const bytesOf = (value: PdfValue | undefined) => (value?.kind === 'string' ? value.bytes : new Uint8Array(0));

export function streamDecryption(encrypt: PdfDict, fileId: Uint8Array): Decryption {
  const filter = entry(encrypt, 'Filter');
  const version = entry(encrypt, 'V');
  if (filter?.kind !== 'name' || filter.name !== 'Standard' || version?.kind !== 'number') return 'unsupported';
  const algorithm = version.value;
  if (![1, 2, 4, 5].includes(algorithm)) return 'unsupported';
  const revision = numberOf(entry(encrypt, 'R'));
  const owner = bytesOf(entry(encrypt, 'O'));
  const user = bytesOf(entry(encrypt, 'U'));
  const cryptFilters = entry(encrypt, 'CF');
  const streamFilter = entry(encrypt, 'StmF');
  let keyLength = numberOf(entry(encrypt, 'Length'));
  if (!keyLength) {
    if (algorithm <= 3) keyLength = 40;
    else if (cryptFilters?.kind === 'dict' && streamFilter?.kind === 'name') {
      const handler = entry(cryptFilters, streamFilter.name);
      keyLength = (handler?.kind === 'dict' ? numberOf(entry(handler, 'Length')) : 0) || 128;
      if (keyLength < 40) keyLength <<= 3;
    }
  }
  if (!Number.isInteger(keyLength) || keyLength < 40 || keyLength % 8 !== 0) return 'unsupported';
  const encryptMetadata = entry(encrypt, 'EncryptMetadata');
  const metadataEncrypted = !(encryptMetadata?.kind === 'keyword' && encryptMetadata.word === 'false');
  let key: Uint8Array | undefined;
  if (algorithm !== 5) {
    key = revision4Key(fileId, owner.subarray(0, 32), user.subarray(0, 32), numberOf(entry(encrypt, 'P')), revision, {
      keyLength,
      metadataEncrypted: (algorithm === 4 || algorithm === 5) && metadataEncrypted,
    });
  } else key = revision6Key(revision, user, bytesOf(entry(encrypt, 'UE')));
  if (key === undefined) return 'password';
  if (algorithm === 4 && key.length < 16) {
    const padded = new Uint8Array(16);
    padded.set(key);
    key = padded;
  }
  const fileKey = key;
  if (algorithm < 4) return (num, gen, data) => rc4(objectKey(fileKey, num, gen, false), data);
  // Version 4 and 5: the stream crypt filter names the method; absent or Identity, streams are stored in the clear.
  const name = streamFilter?.kind === 'name' ? streamFilter.name : 'Identity';
  const handler = cryptFilters?.kind === 'dict' ? entry(cryptFilters, name) : undefined;
  const method = handler?.kind === 'dict' ? entry(handler, 'CFM') : undefined;
  if (method === undefined || (method.kind === 'name' && method.name === 'None')) return (_num, _gen, data) => data;
  if (method.kind !== 'name') return 'unsupported';
  if (method.name === 'V2') return (num, gen, data) => rc4(objectKey(fileKey, num, gen, false), data);
  if (method.name === 'AESV2') return (num, gen, data) => aesDecrypt(objectKey(fileKey, num, gen, true), data);
  if (method.name === 'AESV3') return (_num, _gen, data) => aesDecrypt(fileKey, data);
  return 'unsupported';
}

function numberOf(value: PdfValue | undefined): number {
  return value?.kind === 'number' ? value.value : 0;
}

/** Algorithms 2 and 6 (revisions 2-4): the file key from the empty password, if it is the user password. */
function revision4Key(
  fileId: Uint8Array,
  owner: Uint8Array,
  user: Uint8Array,
  permissions: number,
  revision: number,
  { keyLength, metadataEncrypted }: { keyLength: number; metadataEncrypted: boolean },
): Uint8Array | undefined {
  const flags = Uint8Array.from([
    permissions & 0xff,
    (permissions >> 8) & 0xff,
    (permissions >> 16) & 0xff,
    permissions >>> 24,
  ]);
  const noMetadata =
    revision >= 4 && !metadataEncrypted ? Uint8Array.from([0xff, 0xff, 0xff, 0xff]) : new Uint8Array(0);
  let hash = md5(PASSWORD_PADDING, owner, flags, fileId, noMetadata);
  const length = keyLength >> 3;
  if (revision >= 3) for (let i = 0; i < 50; i++) hash = md5(hash.subarray(0, length));
  const key = hash.subarray(0, length);
  let check: Uint8Array;
  if (revision >= 3) {
    check = rc4(key, md5(PASSWORD_PADDING, fileId));
    for (let i = 1; i <= 19; i++)
      check = rc4(
        key.map((byte) => byte ^ i),
        check,
      );
  } else check = rc4(key, PASSWORD_PADDING);
  return check.every((byte, i) => user[i] === byte) ? key : undefined;
}

/** Algorithms 2.A and 2.B (revisions 5 and 6, AES-256): the file key from the empty password, if it opens the file. */
function revision6Key(revision: number, user: Uint8Array, userEncryption: Uint8Array): Uint8Array | undefined {
  const hash = (input: Uint8Array) => (revision === 6 ? hardenedHash(input) : sha(256, input));
  const validationSalt = user.subarray(32, 40);
  const keySalt = user.subarray(40, 48);
  const expected = user.subarray(0, 32);
  const got = hash(validationSalt);
  if (expected.length !== 32 || !got.every((byte, i) => expected[i] === byte)) return undefined;
  if (userEncryption.length < 32) return undefined;
  const decipher = createDecipheriv('aes-256-cbc', hash(keySalt), new Uint8Array(16)).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(userEncryption.subarray(0, 32)), decipher.final()]));
}

/** Algorithm 2.B with the empty password and no owner data (pdf.js's PDF20._hash). */
function hardenedHash(input: Uint8Array): Uint8Array {
  let k = sha(256, input).subarray(0, 32);
  let e = new Uint8Array(1);
  for (let i = 0; i < 64 || e[e.length - 1]! > i - 32; i++) {
    const round = new Uint8Array(k.length * 64);
    for (let j = 0; j < 64; j++) round.set(k, j * k.length);
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false);
    e = new Uint8Array(Buffer.concat([cipher.update(round), cipher.final()]));
    const remainder = e.subarray(0, 16).reduce((sum, byte) => sum + byte, 0) % 3;
    k = sha(remainder === 0 ? 256 : remainder === 1 ? 384 : 512, e);
  }
  return k.subarray(0, 32);
}

/** Algorithm 1: the key for one object's strings and streams. */
function objectKey(fileKey: Uint8Array, num: number, gen: number, aes: boolean): Uint8Array {
  const suffix = Uint8Array.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
  const salt = aes ? Uint8Array.from([0x73, 0x41, 0x6c, 0x54]) : new Uint8Array(0);
  return md5(fileKey, suffix, salt).subarray(0, Math.min(fileKey.length + 5, 16));
}

/** RC4 (pdf.js's ARCFourCipher): not offered by Node's OpenSSL 3 build, and a few lines. */
function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

/** AES-CBC with the initialisation vector in the first 16 bytes; a short last block and the padding are dropped. */
function aesDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < 32) return new Uint8Array(0);
  const body = data.subarray(16, 16 + Math.floor((data.length - 16) / 16) * 16);
  const decipher = createDecipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  return new Uint8Array(pad >= 1 && pad <= 16 ? plain.subarray(0, plain.length - pad) : plain);
}
