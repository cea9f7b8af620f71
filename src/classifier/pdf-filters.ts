// What pdf.js's other stream filters make of their input, followed as pdf.js reads them: the sizes LZW, RunLength
// and a predictor decode to (counted, not written: both expand data, LZW by up to 40,000 times), and the bytes of the
// ASCII filters (which at most quadruple it) for a filter after them to read. FlateDecode is pdf-flate-size.ts.

/** How a count ended: like pdf-flate-size.ts's, without 'unfollowed' (every input is followed). */
export interface DecodedSize {
  size: number;
  /** Offset just after the last byte read. */
  end: number;
  overLimit: boolean;
}

/** LZW codes pdf.js decodes per readBlock call; it keeps reading codes to the end of a block after the data ends. */
const LZW_BLOCK_CODES = 512;
const LZW_DICTIONARY_SIZE = 4096;

/**
 * Bytes pdf.js's LZWStream decodes from `bytes` at `start`. Only lengths are kept: a code's string is one longer
 * than the string of the code before it, and pdf.js's 16-bit length table (whose writes past 4,096 codes are
 * dropped) is kept the same way.
 */
export function lzwSize(bytes: Uint8Array, start: number, earlyChange: number, limit: number): DecodedSize {
  const lengths = new Uint16Array(LZW_DICTIONARY_SIZE);
  lengths.fill(1, 0, 256);
  let at = start;
  let cached = 0;
  let cachedBits = 0;
  let ended = false;
  /** pdf.js's readBits: null once the data has run out. */
  const read = (count: number): number | null => {
    while (cachedBits < count) {
      if (at >= bytes.length) {
        ended = true;
        return null;
      }
      cached = ((cached << 8) | bytes[at++]!) >>> 0;
      cachedBits += 8;
    }
    cachedBits -= count;
    return (cached >>> cachedBits) & ((1 << count) - 1);
  };
  let nextCode = 258;
  let codeLength = 9;
  let previous: number | null = 0;
  let sequence = 0;
  let size = 0;
  while (!ended) {
    for (let i = 0; i < LZW_BLOCK_CODES; i++) {
      const code = read(codeLength);
      const hasPrevious = sequence > 0;
      // pdf.js compares null with numbers as 0: a code read past the end is a literal byte.
      if (code === null || code < 256) sequence = 1;
      else if (code >= 258) sequence = code < nextCode ? lengths[code]! : sequence + 1;
      else if (code === 256) {
        codeLength = 9;
        nextCode = 258;
        sequence = 0;
        continue;
      } else return { size, end: at, overLimit: false };
      if (hasPrevious) {
        if (nextCode < LZW_DICTIONARY_SIZE) lengths[nextCode] = previous === null ? 0 : lengths[previous]! + 1;
        nextCode++;
        const next = nextCode + earlyChange;
        if ((next & (next - 1)) === 0) codeLength = Math.min(Math.log(next) / Math.LN2 + 1, 12) | 0;
      }
      previous = code;
      size += sequence;
      if (size > limit) return { size, end: at, overLimit: true };
    }
  }
  return { size, end: at, overLimit: false };
}

/** Bytes pdf.js's RunLengthStream decodes: a run is at most 128 bytes from two, so it can expand data 64 times. */
export function runLengthSize(bytes: Uint8Array, start: number, limit: number): DecodedSize {
  let at = start;
  let size = 0;
  while (at + 2 <= bytes.length && bytes[at] !== 128) {
    const n = bytes[at]!;
    if (n < 128) {
      // pdf.js counts the whole literal run even when fewer bytes are left.
      size += n + 1;
      at = Math.min(bytes.length, at + 2 + n);
    } else {
      size += 257 - n;
      at += 2;
    }
    if (size > limit) return { size, end: at, overLimit: true };
  }
  return { size, end: Math.min(bytes.length, at + 2), overLimit: false };
}

export interface DecodedBytes {
  bytes: Uint8Array;
  /** Offset just after the last byte read. */
  end: number;
  overLimit: boolean;
}

const isWhiteSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/** Bytes written one at a time into a buffer that doubles (a JavaScript array would take 8 bytes for each). */
class ByteSink {
  private buffer = new Uint8Array(1024);
  length = 0;
  push(byte: number): void {
    if (this.length === this.buffer.length) {
      const larger = new Uint8Array(this.buffer.length * 2);
      larger.set(this.buffer);
      this.buffer = larger;
    }
    this.buffer[this.length++] = byte;
  }
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** pdf.js's Ascii85Stream: up to its '~' (or the end), 'z' standing for four zero bytes. */
export function ascii85Bytes(bytes: Uint8Array, start: number, limit: number): DecodedBytes {
  const out = new ByteSink();
  let at = start;
  const next = () => {
    while (at < bytes.length && isWhiteSpace(bytes[at]!)) at++;
    return at < bytes.length ? bytes[at++]! : -1;
  };
  for (;;) {
    if (out.length > limit) return { bytes: out.bytes(), end: at, overLimit: true };
    const c = next();
    if (c === -1 || c === 0x7e) break;
    if (c === 0x7a) {
      for (let i = 0; i < 4; i++) out.push(0);
      continue;
    }
    const group = [c];
    let ended = false;
    while (group.length < 5) {
      const d = next();
      if (d === -1 || d === 0x7e) {
        ended = true;
        break;
      }
      group.push(d);
    }
    const count = group.length - 1;
    while (group.length < 5) group.push(0x21 + 84);
    let value = 0;
    for (const d of group) value = value * 85 + (d - 0x21);
    for (let i = 0; i < count; i++) out.push((value >>> (24 - 8 * i)) & 0xff);
    if (ended) break;
  }
  return { bytes: out.bytes(), end: at, overLimit: out.length > limit };
}

/** pdf.js's AsciiHexStream: hex digit pairs up to its '>' (or the end), anything else skipped. */
export function asciiHexBytes(bytes: Uint8Array, start: number, limit: number): DecodedBytes {
  const out = new ByteSink();
  let first = -1;
  let at = start;
  for (; at < bytes.length; at++) {
    const c = bytes[at]!;
    let digit: number;
    if (c >= 0x30 && c <= 0x39) digit = c & 0x0f;
    else if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) digit = (c & 0x0f) + 9;
    else if (c === 0x3e) {
      at++;
      break;
    } else continue;
    if (first < 0) first = digit;
    else {
      out.push((first << 4) | digit);
      first = -1;
      if (out.length > limit) return { bytes: out.bytes(), end: at + 1, overLimit: true };
    }
  }
  if (first >= 0) out.push(first << 4);
  return { bytes: out.bytes(), end: at, overLimit: out.length > limit };
}

export interface PredictorParameters {
  predictor: number;
  colors: number;
  bitsPerComponent: number;
  columns: number;
}

/**
 * Bytes pdf.js's PredictorStream makes of `input` decoded bytes: a whole row (columns x colours x bits) for every
 * row's worth of input, and a row's buffer even for none, so a tiny stream naming a billion columns costs a
 * gigabyte. Undefined for parameters pdf.js refuses or reads as no predictor.
 */
export function predictorSize(input: number, parameters: PredictorParameters): number | undefined {
  const { predictor, colors, bitsPerComponent, columns } = parameters;
  if (predictor <= 1 || (predictor !== 2 && (predictor < 10 || predictor > 15))) return undefined;
  const rowBytes = (columns * colors * bitsPerComponent + 7) >> 3;
  // A PNG row starts with its filter type byte.
  const rawRow = predictor === 2 ? rowBytes : rowBytes + 1;
  if (!(rowBytes > 0) || !(rawRow > 0)) return undefined;
  return Math.max(1, Math.ceil(input / rawRow)) * rowBytes;
}
