// PDF object syntax (ISO 32000 7.2-7.3), read as pdf.js's Lexer and Parser read it, for what pdf-streams.ts needs
// to know before pdf.js opens a file: a stream's dictionary (its filters), the trailer's. Names are decoded (#xx),
// strings unescaped, `N G R` read as references; nothing is resolved.

export type PdfValue =
  | { kind: 'name'; name: string }
  | { kind: 'number'; value: number }
  | { kind: 'ref'; num: number; gen: number }
  | { kind: 'string'; bytes: Uint8Array }
  | { kind: 'array'; items: PdfValue[] }
  | { kind: 'dict'; entries: Map<string, PdfValue> }
  | { kind: 'keyword'; word: string };

export type PdfDict = Extract<PdfValue, { kind: 'dict' }>;

/** Nesting of arrays and dictionaries read; pdf.js recurses per level, and a file of '[' would recurse per byte. */
const MAX_NESTING = 100;

const WHITE_SPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

export const isWhiteSpace = (c: number | undefined): boolean => c !== undefined && WHITE_SPACE.has(c);
/** Neither white space nor a delimiter: part of a name, number or keyword. */
export const isRegular = (c: number | undefined): boolean =>
  c !== undefined && !WHITE_SPACE.has(c) && !DELIMITERS.has(c);

function hexDigit(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) return (c & 0x0f) + 9;
  return -1;
}

type Token =
  | { kind: 'value'; value: PdfValue }
  | { kind: 'open-dict' }
  | { kind: 'close-dict' }
  | { kind: 'open-array' }
  | { kind: 'close-array' }
  | { kind: 'end' };

/** A reader over bytes[at, end): tokens, then values built from them. */
export class PdfReader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
    private readonly end: number = bytes.length,
  ) {}

  /** Skips white space and comments. */
  skipSpace(): void {
    while (this.at < this.end) {
      const c = this.bytes[this.at]!;
      if (WHITE_SPACE.has(c)) this.at++;
      else if (c === 0x25) {
        while (this.at < this.end && this.bytes[this.at] !== 0x0a && this.bytes[this.at] !== 0x0d) this.at++;
      } else break;
    }
  }

  /** The next value, or undefined where the bytes end first or hold no value (a stray delimiter). */
  value(depth = 0): PdfValue | undefined {
    const token = this.token();
    return this.valueFrom(token, depth);
  }

  private valueFrom(token: Token, depth: number): PdfValue | undefined {
    if (token.kind === 'value') {
      const value = token.value;
      if (value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0) return this.maybeRef(value);
      return value;
    }
    if (depth >= MAX_NESTING) return undefined;
    if (token.kind === 'open-array') {
      const items: PdfValue[] = [];
      for (;;) {
        const next = this.token();
        if (next.kind === 'close-array') return { kind: 'array', items };
        if (next.kind === 'end') return undefined;
        const item = this.valueFrom(next, depth + 1);
        if (item !== undefined) items.push(item);
      }
    }
    if (token.kind === 'open-dict') {
      const entries = new Map<string, PdfValue>();
      for (;;) {
        const key = this.token();
        if (key.kind === 'close-dict') return { kind: 'dict', entries };
        if (key.kind === 'end') return undefined;
        // pdf.js skips what is not a name where a key should be.
        if (key.kind !== 'value' || key.value.kind !== 'name') continue;
        const next = this.token();
        if (next.kind === 'close-dict') return { kind: 'dict', entries };
        if (next.kind === 'end') return undefined;
        const value = this.valueFrom(next, depth + 1);
        if (value !== undefined) entries.set(key.value.name, value);
      }
    }
    return undefined;
  }

  /** `N G R` is a reference; otherwise the reader is left just after N. */
  private maybeRef(num: { kind: 'number'; value: number }): PdfValue {
    const saved = this.at;
    const gen = this.token();
    if (gen.kind === 'value' && gen.value.kind === 'number' && Number.isInteger(gen.value.value)) {
      const r = this.token();
      if (r.kind === 'value' && r.value.kind === 'keyword' && r.value.word === 'R') {
        return { kind: 'ref', num: num.value, gen: gen.value.value };
      }
    }
    this.at = saved;
    return num;
  }

  token(): Token {
    this.skipSpace();
    if (this.at >= this.end) return { kind: 'end' };
    const c = this.bytes[this.at]!;
    if (c === 0x2f) return { kind: 'value', value: { kind: 'name', name: this.name() } };
    if (c === 0x28) return { kind: 'value', value: { kind: 'string', bytes: this.literalString() } };
    if (c === 0x3c) {
      if (this.bytes[this.at + 1] === 0x3c) {
        this.at += 2;
        return { kind: 'open-dict' };
      }
      return { kind: 'value', value: { kind: 'string', bytes: this.hexString() } };
    }
    if (c === 0x3e) {
      this.at += this.bytes[this.at + 1] === 0x3e ? 2 : 1;
      return { kind: 'close-dict' };
    }
    if (c === 0x5b || c === 0x5d) {
      this.at++;
      return { kind: c === 0x5b ? 'open-array' : 'close-array' };
    }
    if (!isRegular(c)) {
      // ')' '{' '}' on their own: pdf.js reads them as commands; nothing here uses them.
      this.at++;
      return { kind: 'value', value: { kind: 'keyword', word: String.fromCharCode(c) } };
    }
    const start = this.at;
    while (this.at < this.end && isRegular(this.bytes[this.at])) this.at++;
    const word = String.fromCharCode(...this.bytes.subarray(start, Math.min(this.at, start + 64)));
    const number = Number(word);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word) && Number.isFinite(number)) {
      return { kind: 'value', value: { kind: 'number', value: number } };
    }
    return { kind: 'value', value: { kind: 'keyword', word } };
  }

  /** A name after its '/', with #xx escapes decoded as pdf.js decodes them. */
  private name(): string {
    this.at++;
    let name = '';
    while (this.at < this.end && isRegular(this.bytes[this.at])) {
      const c = this.bytes[this.at++]!;
      if (c !== 0x23) {
        name += String.fromCharCode(c);
        continue;
      }
      const high = hexDigit(this.bytes[this.at]);
      const low = hexDigit(this.bytes[this.at + 1]);
      if (high >= 0 && low >= 0 && isRegular(this.bytes[this.at]) && isRegular(this.bytes[this.at + 1])) {
        name += String.fromCharCode((high << 4) | low);
        this.at += 2;
      } else name += '#';
    }
    return name;
  }

  private literalString(): Uint8Array {
    this.at++;
    const out: number[] = [];
    let depth = 1;
    while (this.at < this.end) {
      const c = this.bytes[this.at++]!;
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
      if (c !== 0x5c) {
        out.push(c);
        continue;
      }
      const e = this.bytes[this.at++];
      if (e === undefined || this.at > this.end) break;
      if (e >= 0x30 && e <= 0x37) {
        let value = e - 0x30;
        for (let i = 0; i < 2 && (this.bytes[this.at] ?? 0) >= 0x30 && this.bytes[this.at]! <= 0x37; i++) {
          value = value * 8 + (this.bytes[this.at++]! - 0x30);
        }
        out.push(value & 0xff);
      } else if (e === 0x0d) {
        if (this.bytes[this.at] === 0x0a) this.at++;
      } else if (e !== 0x0a) {
        const escaped: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };
        out.push(escaped[e] ?? e);
      }
    }
    return Uint8Array.from(out);
  }

  private hexString(): Uint8Array {
    this.at++;
    const out: number[] = [];
    let first = -1;
    while (this.at < this.end) {
      const c = this.bytes[this.at++]!;
      if (c === 0x3e) break;
      const digit = hexDigit(c);
      if (digit < 0) continue;
      if (first < 0) first = digit;
      else {
        out.push((first << 4) | digit);
        first = -1;
      }
    }
    if (first >= 0) out.push(first << 4);
    return Uint8Array.from(out);
  }
}

/** The entry `key` of `dict`, or the first of several alternative keys present (pdf.js's Dict.get(a, b)). */
export function entry(dict: PdfDict, ...keys: string[]): PdfValue | undefined {
  for (const key of keys) {
    const value = dict.entries.get(key);
    if (value !== undefined) return value;
  }
  return undefined;
}
