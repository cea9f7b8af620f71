// How many bytes a PDF's FlateDecode data inflates to, counted by reading its codes as pdf.js's FlateStream reads
// them and never writing the output: the cost is linear in the compressed bytes read, however large the output, so
// a 1 MB stream that inflates to 1 GiB is measured in milliseconds and no memory. pdf.js keeps all it inflates, so
// the count is what pdf.js would hold. Its quirks are followed, not the RFC's rules, since it is pdf.js that reads
// the PDF afterwards: lengths are counted whatever their distance, symbols 286 and 287 stand for 258 bytes, an
// empty stored block may give 0 for its length's complement, and a stored block reads its header from the byte
// after those already buffered.

/** How reading stopped. */
export type FlateEnd =
  /** Its final block was read. */
  | 'complete'
  /** pdf.js stops here too (and keeps what it inflated so far): the data ran out, or a block or code is invalid. */
  | 'stopped'
  /** Code lengths no valid stream has (over-subscribed): pdf.js reads on with codes this reader cannot follow. */
  | 'unfollowed'
  /** Past the limit the caller gave. */
  | 'over-limit';

export interface FlateSize {
  /** Bytes inflated up to where reading stopped (just past the limit when over it). */
  size: number;
  /** Offset just after the last byte read. */
  end: number;
  outcome: FlateEnd;
}

/** Longest code DEFLATE allows; pdf.js reads ahead up to a table's longest code. */
const MAX_CODE_BITS = 15;
/** Codes up to this long are found with one table look-up once a code has been used enough to pay for the table. */
const FAST_BITS = 9;
/**
 * Symbols read with a code before its look-up table is built (2^FAST_BITS entries): a crafted stream of tiny
 * blocks, each with new codes, would otherwise cost a table per few bytes (measured: 5x faster on a 25 MB stream).
 */
const FAST_AFTER_SYMBOLS = 256;
/** The order the code length code lengths come in (RFC 1951, 3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
/** Length symbols 257..287: base length and extra bits (pdf.js's lengthDecode; 286 and 287 read as 258). */
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
  258, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0, 0, 0];
/** Extra bits of distance symbols 0..29 (30 and 31 have none in pdf.js). */
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Code {
  counts: Uint16Array;
  symbols: Uint16Array;
  /** The longest code's length: pdf.js buffers this many bits before looking a code up. */
  longest: number;
  /** Symbols read so far, and then the look-up table: (length << 16) | symbol by the next FAST_BITS bits, or 0. */
  uses: number;
  fast?: Int32Array;
}

/** Thrown inside the reader where pdf.js throws or ends the stream; the count so far stands. */
class Stop extends Error {}
/** Thrown for code lengths pdf.js would read in a way this reader does not follow. */
class Unfollowed extends Error {}
class OverLimit extends Error {}

/** The code for `lengths`, as pdf.js's generateHuffmanTable assigns it (shorter codes first, then by symbol). */
function canonicalCode(lengths: ArrayLike<number>): Code {
  const counts = new Uint16Array(MAX_CODE_BITS + 1);
  let longest = 0;
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const length = lengths[symbol]!;
    counts[length]!++;
    if (length > longest) longest = length;
  }
  counts[0] = 0;
  // Two codes with one bit pattern: pdf.js's table keeps the later one, which canonical decoding cannot mimic.
  let left = 1;
  for (let length = 1; length <= MAX_CODE_BITS; length++) {
    left = left * 2 - counts[length]!;
    if (left < 0) throw new Unfollowed();
  }
  const offsets = new Uint16Array(MAX_CODE_BITS + 2);
  for (let length = 1; length <= MAX_CODE_BITS; length++) offsets[length + 1] = offsets[length]! + counts[length]!;
  const symbols = new Uint16Array(lengths.length);
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const length = lengths[symbol]!;
    if (length !== 0) symbols[offsets[length]!++] = symbol;
  }
  return { counts, symbols, longest, uses: 0 };
}

/** The look-up table of `code`'s codes up to FAST_BITS long, indexed as the bits arrive (first bit lowest). */
function fastTable(code: Code): Int32Array {
  const table = new Int32Array(1 << FAST_BITS);
  let value = 0;
  let index = 0;
  for (let length = 1; length <= FAST_BITS; length++) {
    for (let n = 0; n < code.counts[length]!; n++, value++, index++) {
      let reversed = 0;
      for (let bit = 0; bit < length; bit++) reversed |= ((value >> bit) & 1) << (length - 1 - bit);
      for (let at = reversed; at < table.length; at += 1 << length) table[at] = (length << 16) | code.symbols[index]!;
    }
    value <<= 1;
  }
  return table;
}

const FIXED_LITERALS = withFastTable(
  canonicalCode([
    ...new Array<number>(144).fill(8),
    ...new Array<number>(112).fill(9),
    ...new Array<number>(24).fill(7),
    ...new Array<number>(8).fill(8),
  ]),
);
// pdf.js's fixed distance table leaves out symbols 30 and 31 (reading one throws), so the code is incomplete here too.
const FIXED_DISTANCES = withFastTable(canonicalCode(new Array<number>(30).fill(5)));

/** The fixed codes get their tables at once, so these shared objects are never changed while reading. */
function withFastTable(code: Code): Code {
  return { ...code, fast: fastTable(code) };
}

/**
 * Bytes that the DEFLATE data at `start` (after the zlib header) inflates to, reading on to the end of `bytes` if
 * its blocks do, and stopping once the count passes `limit`.
 */
export function flateSize(bytes: Uint8Array, start: number, limit: number): FlateSize {
  const reader = new FlateReader(bytes, start, limit);
  try {
    let final = false;
    while (!final) final = reader.block();
    return { size: reader.size, end: reader.at, outcome: 'complete' };
  } catch (error) {
    if (error instanceof Stop) return { size: reader.size, end: reader.at, outcome: 'stopped' };
    if (error instanceof Unfollowed) return { size: reader.size, end: reader.at, outcome: 'unfollowed' };
    if (error instanceof OverLimit) return { size: reader.size, end: reader.at, outcome: 'over-limit' };
    throw error;
  }
}

/** pdf.js's FlateStream, counting instead of writing; its bit buffer is kept the same way so reads line up. */
class FlateReader {
  size = 0;
  private buffer = 0;
  private buffered = 0;

  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
    private readonly limit: number,
  ) {}

  /** Reads one block; true when it was the final one. */
  block(): boolean {
    const header = this.bits(3);
    const final = (header & 1) === 1;
    const type = header >> 1;
    if (type === 0) this.storedBlock();
    else if (type === 1) this.codedBlock(FIXED_LITERALS, FIXED_DISTANCES);
    else if (type === 2) this.dynamicBlock();
    else throw new Stop();
    return final;
  }

  private storedBlock(): void {
    // pdf.js drops its buffered bits and reads the header from the next unread byte.
    if (this.at + 4 > this.bytes.length) throw new Stop();
    const length = this.bytes[this.at]! | (this.bytes[this.at + 1]! << 8);
    const complement = this.bytes[this.at + 2]! | (this.bytes[this.at + 3]! << 8);
    this.at += 4;
    if (complement !== (~length & 0xffff) && (length !== 0 || complement !== 0)) throw new Stop();
    this.buffer = 0;
    this.buffered = 0;
    // pdf.js counts the whole stated length even when fewer bytes are left.
    this.add(length);
    if (this.at + length > this.bytes.length) {
      this.at = this.bytes.length;
      throw new Stop();
    }
    this.at += length;
  }

  private dynamicBlock(): void {
    const literalCount = this.bits(5) + 257;
    const distanceCount = this.bits(5) + 1;
    const lengthCodeCount = this.bits(4) + 4;
    const lengthCodeLengths = new Uint8Array(CODE_LENGTH_ORDER.length);
    for (let i = 0; i < lengthCodeCount; i++) lengthCodeLengths[CODE_LENGTH_ORDER[i]!] = this.bits(3);
    const lengthCode = canonicalCode(lengthCodeLengths);
    const total = literalCount + distanceCount;
    // A repeat may run past the end; pdf.js's typed array drops those writes, and so does this one.
    const lengths = new Uint8Array(total);
    let previous = 0;
    for (let i = 0; i < total; ) {
      const symbol = this.symbol(lengthCode);
      if (symbol < 16) {
        lengths[i++] = previous = symbol;
        continue;
      }
      let repeat: number;
      let value: number;
      if (symbol === 16) {
        repeat = this.bits(2) + 3;
        value = previous;
      } else if (symbol === 17) {
        repeat = this.bits(3) + 3;
        value = previous = 0;
      } else {
        repeat = this.bits(7) + 11;
        value = previous = 0;
      }
      while (repeat-- > 0) lengths[i++] = value;
    }
    this.codedBlock(canonicalCode(lengths.subarray(0, literalCount)), canonicalCode(lengths.subarray(literalCount)));
  }

  private codedBlock(literals: Code, distances: Code): void {
    for (;;) {
      const symbol = this.symbol(literals);
      if (symbol < 256) {
        this.add(1);
        continue;
      }
      if (symbol === 256) return;
      const index = symbol - 257;
      const extra = LENGTH_EXTRA[index]!;
      const length = LENGTH_BASE[index]! + (extra > 0 ? this.bits(extra) : 0);
      const distance = this.symbol(distances);
      const distanceExtra = DISTANCE_EXTRA[distance] ?? 0;
      if (distanceExtra > 0) this.bits(distanceExtra);
      this.add(length);
    }
  }

  private add(count: number): void {
    this.size += count;
    if (this.size > this.limit) throw new OverLimit();
  }

  /** pdf.js's getBits: buffers whole bytes until it has `count` bits; running out ends the stream. */
  private bits(count: number): number {
    while (this.buffered < count) {
      if (this.at >= this.bytes.length) throw new Stop();
      this.buffer |= this.bytes[this.at++]! << this.buffered;
      this.buffered += 8;
    }
    const value = this.buffer & ((1 << count) - 1);
    this.buffer >>>= count;
    this.buffered -= count;
    return value;
  }

  /** pdf.js's getCode: buffers up to the code's longest length (fewer at the end), then finds the code. */
  private symbol(code: Code): number {
    while (this.buffered < code.longest && this.at < this.bytes.length) {
      this.buffer |= this.bytes[this.at++]! << this.buffered;
      this.buffered += 8;
    }
    if (code.fast !== undefined) {
      const entry = code.fast[this.buffer & ((1 << FAST_BITS) - 1)]!;
      const length = entry >>> 16;
      if (length !== 0 && length <= this.buffered) {
        this.buffer >>>= length;
        this.buffered -= length;
        return entry & 0xffff;
      }
    } else if (++code.uses > FAST_AFTER_SYMBOLS) {
      code.fast = fastTable(code);
    }
    let value = 0;
    let first = 0;
    let index = 0;
    for (let length = 1; length <= code.longest; length++) {
      value |= (this.buffer >>> (length - 1)) & 1;
      const count = code.counts[length]!;
      if (value - first < count) {
        if (length > this.buffered) throw new Stop();
        this.buffer >>>= length;
        this.buffered -= length;
        return code.symbols[index + value - first]!;
      }
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    // A bit pattern no code has (an incomplete code, or no codes at all): pdf.js throws "Bad encoding".
    throw new Stop();
  }
}
