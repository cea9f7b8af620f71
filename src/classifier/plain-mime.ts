// The shapes most school mail takes, read without mailparser's streams: a single text/plain or text/html body, and
// multipart/alternative with one text/plain and one text/html part; UTF-8 or ASCII, 7bit, 8bit or quoted-printable,
// with ASCII headers.
// mailparser spends about 90 microseconds on such a message, mostly setting up streams; this reads it in a few.
// Anything else (encodings, other charsets, encoded words, attachments, nesting, odd delimiters) returns
// undefined and goes to mailparser. For what it accepts the result is exactly mailparser's: tests/classifier/
// plain-mime.test.ts compares the two on every fixture and corpus message and on generated variations.
import { matchesOf } from './regex-matches.js';

/** What parseMime reads from mailparser's result, as mailparser gives it for these shapes. */
export interface PlainMail {
  subject?: string;
  /** The text/plain body; absent when it is empty, '' for an HTML-only message (as mailparser gives it). */
  text?: string;
  /** The text/html body, or false when there is none (as mailparser gives it). */
  html: string | false;
  attachments: never[];
}

/** Messages larger than this go to mailparser (whose streams then cost little beside the screening). */
export const MAX_PLAIN_MESSAGE_BYTES = 4 * 1024 * 1024;
/** A message with a longer line goes to mailparser: mailsplit reads lines past 64 KB in pieces, which this does not copy. */
const MAX_LINE_BYTES = 32 * 1024;
/** Header lines (after unfolding) read before giving up; real messages have a few dozen. */
const MAX_HEADER_FIELDS = 200;

const FOLD = /\r?\n[ \t]+/g;
const LINE_BREAK = /\r?\n/g;
/** A Content-Type with optional `; name=value` parameters and nothing else (no comments, no RFC 2231). */
const CONTENT_TYPE =
  /^\s*([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)\s*((?:;\s*[a-z0-9_-]+\s*=\s*(?:"[^"\\\r\n]*"|[^\s;"()<>@,:\\/[\]?=]+)\s*)*);?\s*$/i;
const PARAMETER = /;\s*([a-z0-9_-]+)\s*=\s*(?:"([^"\\\r\n]*)"|([^\s;"()<>@,:\\/[\]?=]+))/gi;
const IDENTITY_ENCODINGS = new Set(['7bit', '8bit', 'binary']);
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);
/** Boundary values as RFC 2046 allows them (bchars), 1 to 70 characters. */
const BOUNDARY = /^[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]$/;

interface Fields {
  /** Lower-cased field name -> raw values (after the colon, unfolded), in order. */
  values: Map<string, string[]>;
}

interface ContentType {
  type: string;
  params: Map<string, string>;
}

/** The message read the quick way, or undefined when it is not one of the shapes this reads exactly. */
export function readPlainMail(bytes: Buffer): PlainMail | undefined {
  if (bytes.length > MAX_PLAIN_MESSAGE_BYTES || hasLongLine(bytes)) return undefined;
  const split = splitHead(bytes, 0);
  if (split === undefined) return undefined;
  const fields = readFields(split.head);
  if (fields === undefined) return undefined;
  const subject = subjectOf(fields);
  if (subject === null) return undefined;
  if (has(fields, 'content-disposition')) return undefined;
  const contentType = contentTypeOf(fields);
  if (contentType === undefined) return undefined;

  const mail: PlainMail = { html: false, attachments: [] };
  if (subject !== undefined) mail.subject = subject;
  if (contentType.type === 'text/plain' || contentType.type === 'text/html') {
    const encoding = transferEncoding(fields);
    if (encoding === undefined || !plainTextType(contentType)) return undefined;
    const body = bodyText(bytes, split.bodyStart, bytes.length, encoding);
    if (contentType.type === 'text/plain') {
      if (body !== '') mail.text = body;
      return mail;
    }
    // An empty HTML body is left out by mailparser in a way this does not copy.
    if (body === '') return undefined;
    mail.text = '';
    mail.html = body;
    return mail;
  }
  if (contentType.type !== 'multipart/alternative' || transferEncoding(fields) !== 'identity') return undefined;
  const boundary = contentType.params.get('boundary');
  if (contentType.params.size !== 1 || boundary === undefined || !BOUNDARY.test(boundary)) return undefined;
  const parts = alternativeParts(bytes, split.bodyStart, boundary);
  if (parts === undefined) return undefined;
  mail.text = parts.text;
  mail.html = parts.html;
  return mail;
}

function hasLongLine(bytes: Buffer): boolean {
  if (bytes.length <= MAX_LINE_BYTES) return false;
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf(10, at);
    if ((end < 0 ? bytes.length : end) - at > MAX_LINE_BYTES) return true;
    if (end < 0) return false;
    at = end + 1;
  }
  return false;
}

/**
 * Where the header block from `from` ends and the body starts (after the first empty line before `limit`); undefined
 * with no body.
 */
function splitHead(bytes: Buffer, from: number, limit = bytes.length): { head: string; bodyStart: number } | undefined {
  let at = from;
  while (at < limit) {
    const end = bytes.indexOf(10, at);
    if (end < 0 || end >= limit) return undefined;
    const length = end - at;
    if (length === 0 || (length === 1 && bytes[at] === 13)) {
      const head = bytes.toString('latin1', from, at);
      // Headers are read here only when they are ASCII: 8-bit header bytes take mailparser's own decoding.
      for (let i = from; i < at; i++) if (bytes[i]! >= 0x80) return undefined;
      return { head, bodyStart: end + 1 };
    }
    at = end + 1;
  }
  return undefined;
}

/** The characters a field name may have (RFC 7230 tchar). */
const FIELD_NAME_CHAR = new Uint8Array(128);
for (const char of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&'*+.^_`|~-") {
  FIELD_NAME_CHAR[char.charCodeAt(0)] = 1;
}

/**
 * The header fields of a header block: split where a line break is not followed by a blank (folding), each field
 * "name:value" with a token name, no CR but in the line breaks that end fields, folds read as one space. Scanned by
 * hand rather than split and matched with regular expressions (measured ~1% of screening a school e-mail).
 */
function readFields(head: string): Fields | undefined {
  const values = new Map<string, string[]>();
  if (head === '') return { values };
  // The block's last line break ends its last field.
  let end = head.length;
  if (head.charCodeAt(end - 1) === 10) end -= end > 1 && head.charCodeAt(end - 2) === 13 ? 2 : 1;
  let count = 0;
  let start = 0;
  let from = 0;
  for (;;) {
    const lineBreak = head.indexOf('\n', from);
    let fieldEnd = end;
    let next = -1;
    if (lineBreak >= 0 && lineBreak < end) {
      const after = lineBreak + 1 < end ? head.charCodeAt(lineBreak + 1) : -1;
      if (after === 32 || after === 9) {
        from = lineBreak + 1;
        continue;
      }
      fieldEnd = lineBreak > start && head.charCodeAt(lineBreak - 1) === 13 ? lineBreak - 1 : lineBreak;
      next = lineBreak + 1;
    }
    if (++count > MAX_HEADER_FIELDS) return undefined;
    const colon = head.indexOf(':', start);
    if (colon <= start || colon >= fieldEnd) return undefined;
    for (let i = start; i < colon; i++) {
      const code = head.charCodeAt(i);
      if (code >= 128 || FIELD_NAME_CHAR[code] === 0) return undefined;
    }
    let value = head.slice(colon + 1, fieldEnd);
    if (value.includes('\r')) return undefined;
    // Every line break left in a field is followed by a blank: a fold.
    if (value.includes('\n')) value = value.replace(FOLD, ' ');
    const name = head.slice(start, colon).toLowerCase();
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
    if (next < 0) return { values };
    start = next;
    from = next;
  }
}

function has(fields: Fields, name: string): boolean {
  return fields.values.has(name);
}

/** The subject as mailparser gives it: trimmed, absent when empty; null when it needs mailparser's decoding. */
function subjectOf(fields: Fields): string | undefined | null {
  const values = fields.values.get('subject');
  if (values === undefined) return undefined;
  if (values.length !== 1) return null;
  const value = values[0]!.trim();
  // Encoded words ("=?utf-8?q?...?=") are mailparser's to decode.
  if (value.includes('=?')) return null;
  return value === '' ? undefined : value;
}

function contentTypeOf(fields: Fields): ContentType | undefined {
  const values = fields.values.get('content-type');
  if (values === undefined) return { type: 'text/plain', params: new Map() };
  if (values.length !== 1) return undefined;
  const match = CONTENT_TYPE.exec(values[0]!);
  if (match === null) return undefined;
  const params = new Map<string, string>();
  for (const param of matchesOf(PARAMETER, match[2]!)) {
    const name = param[1]!.toLowerCase();
    if (params.has(name) || name.endsWith('*')) return undefined;
    params.set(name, param[2] ?? param[3]!);
  }
  return { type: match[1]!.toLowerCase(), params };
}

type Encoding = 'identity' | 'quoted-printable';

/** How the body is encoded, when it is one this reads (base64 goes to mailparser). */
function transferEncoding(fields: Fields): Encoding | undefined {
  const values = fields.values.get('content-transfer-encoding');
  if (values === undefined) return 'identity';
  if (values.length !== 1) return undefined;
  const encoding = values[0]!.trim().toLowerCase();
  if (IDENTITY_ENCODINGS.has(encoding)) return 'identity';
  return encoding === 'quoted-printable' ? encoding : undefined;
}

/** A text part read as UTF-8 with no further decoding: charset UTF-8 or ASCII (or none), nothing else. */
function plainTextType(contentType: ContentType): boolean {
  for (const [name, value] of contentType.params) {
    if (name !== 'charset' || !UTF8_CHARSETS.has(value.toLowerCase())) return false;
  }
  return true;
}

/** A body as mailparser reads a UTF-8 text part: transfer-decoded, read as UTF-8, line breaks as "\n". */
function bodyText(bytes: Buffer, start: number, end: number, encoding: Encoding): string {
  if (encoding === 'identity') {
    const text = bytes.toString('utf8', start, end);
    // Most bodies have no CR (or none before the delimiter that ends them): nothing to replace.
    const cr = bytes.indexOf(13, start);
    return cr < 0 || cr >= end ? text : text.replace(LINE_BREAK, '\n');
  }
  const decoded = decodeQuotedPrintable(bytes.toString('latin1', start, end));
  const text = decoded.toString('utf8');
  return decoded.includes(13) ? text.replace(LINE_BREAK, '\n') : text;
}

const TRAILING_BLANKS = /(^|[^ \t])[ \t]+(?=[\n\r]|$)/g;
const SOFT_BREAK = /=(?:\r?\n|$)/g;

/**
 * Quoted-printable (RFC 2045 6.7) as mailsplit's decoder reads it: blanks at line ends dropped, soft line breaks
 * ("=" at a line end) joined, "=XX" as the byte XX; any other "=" is kept as it stands.
 */
function decodeQuotedPrintable(source: string): Buffer {
  const input = source.replace(TRAILING_BLANKS, '$1').replace(SOFT_BREAK, '');
  const out = Buffer.allocUnsafe(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code === 0x3d && i < input.length - 2) {
      const high = hexValue(input.charCodeAt(i + 1));
      const low = hexValue(input.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    out[length++] = code;
  }
  return out.subarray(0, length);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

/**
 * The text/plain and text/html of a multipart/alternative body: preamble, "--boundary", the plain part, "--boundary",
 * the HTML part, "--boundary--", epilogue. The line break before a delimiter belongs to the delimiter (RFC 2046).
 */
function alternativeParts(
  bytes: Buffer,
  bodyStart: number,
  boundary: string,
): { text?: string; html: string } | undefined {
  const delimiter = `--${boundary}`;
  const lines: { start: number; end: number; next: number }[] = [];
  let at = bodyStart;
  while (at < bytes.length) {
    let end = bytes.indexOf(10, at);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    const contentEnd = end > at && bytes[end - 1] === 13 ? end - 1 : end;
    // Only lines starting "--" can be delimiters; the others need not be looked at.
    if (bytes[at] === 45 && bytes[at + 1] === 45) lines.push({ start: at, end: contentEnd, next });
    at = next;
  }
  const delimiters: { start: number; next: number; closing: boolean }[] = [];
  for (const line of lines) {
    const text = bytes.toString('latin1', line.start, line.end);
    if (!text.startsWith(delimiter)) continue;
    // Anything after the boundary (transport padding, a longer boundary sharing the prefix) is left to mailsplit.
    if (text === delimiter) delimiters.push({ start: line.start, next: line.next, closing: false });
    else if (text === `${delimiter}--`) delimiters.push({ start: line.start, next: line.next, closing: true });
    else return undefined;
  }
  if (delimiters.length !== 3 || delimiters[0]!.closing || delimiters[1]!.closing || !delimiters[2]!.closing) {
    return undefined;
  }
  const plain = readPart(bytes, delimiters[0]!.next, delimiters[1]!.start);
  const html = readPart(bytes, delimiters[1]!.next, delimiters[2]!.start);
  if (plain?.type !== 'text/plain' || html?.type !== 'text/html') return undefined;
  // An empty part is left out by mailparser in ways this does not copy.
  if (plain.text === '' || html.text === '') return undefined;
  return { text: plain.text, html: html.text };
}

/** One part between delimiters: its headers (Content-Type and Content-Transfer-Encoding only) and its body. */
function readPart(bytes: Buffer, start: number, delimiterStart: number): { type: string; text: string } | undefined {
  // The line break before the delimiter is the delimiter's.
  let end = delimiterStart;
  if (end > start && bytes[end - 1] === 10) end--;
  if (end > start && bytes[end - 1] === 13) end--;
  const split = splitHead(bytes, start, end);
  if (split === undefined) return undefined;
  const fields = readFields(split.head);
  if (fields === undefined) return undefined;
  for (const name of fields.values.keys()) {
    if (name !== 'content-type' && name !== 'content-transfer-encoding') return undefined;
  }
  const encoding = transferEncoding(fields);
  if (!has(fields, 'content-type') || encoding === undefined) return undefined;
  const contentType = contentTypeOf(fields);
  if (contentType === undefined || !plainTextType(contentType)) return undefined;
  return { type: contentType.type, text: bodyText(bytes, split.bodyStart, end, encoding) };
}
