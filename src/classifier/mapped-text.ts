// Derived text (rendered HTML, normalised text) that remembers, for every character, which span of the
// original produced it, so a finding in derived text is reported at exact offsets of what the sender wrote.

export interface MappedText {
  /** The derived text. */
  text: string;
  /** starts[i]: offset in the original of the text that produced derived char i. */
  starts: Int32Array;
  /** ends[i]: end offset (exclusive) in the original of that text. */
  ends: Int32Array;
}

/** Text that is its own original: char i maps to [i, i + 1). */
export function identity(text: string): MappedText {
  return new AlignedText(text);
}

/**
 * Text whose char i came from char i of its original (folding changed no lengths: most mail). Its map is made only
 * if it is read: clean mail is normalised, screened and passed without a finding to map back.
 */
class AlignedText implements MappedText {
  #map: { starts: Int32Array; ends: Int32Array } | undefined;

  constructor(readonly text: string) {}

  get starts(): Int32Array {
    return this.map().starts;
  }

  get ends(): Int32Array {
    return this.map().ends;
  }

  private map(): { starts: Int32Array; ends: Int32Array } {
    if (this.#map !== undefined) return this.#map;
    const n = this.text.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      starts[i] = i;
      ends[i] = i + 1;
    }
    this.#map = { starts, ends };
    return this.#map;
  }
}

/**
 * Chains two derivations: `outer` was derived from `inner.text`, which was derived from some original;
 * the result maps `outer.text` straight to that original. Whatever else `outer` carries about its text (normalise's
 * gates) stays with it: the text is the same.
 */
export function compose<T extends MappedText>(outer: T, inner: MappedText): T {
  // Outer char i came from inner char i, so it came from what inner char i came from.
  if (outer instanceof AlignedText && outer.text.length === inner.text.length) {
    return { ...outer, starts: inner.starts, ends: inner.ends };
  }
  const n = outer.text.length;
  const innerLength = inner.text.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  // Past the end of inner (text appended by the outer derivation) maps to the end of the original.
  const originalEnd = innerLength > 0 ? inner.ends[innerLength - 1]! : 0;
  for (let i = 0; i < n; i++) {
    const s = outer.starts[i]!;
    const e = outer.ends[i]!;
    const start = s < innerLength ? inner.starts[s]! : originalEnd;
    starts[i] = start;
    ends[i] = e > s && e - 1 < innerLength ? inner.ends[e - 1]! : e > s ? originalEnd : start;
  }
  return { ...outer, starts, ends };
}

/** The span of the original that produced derived chars [start, end). An empty span maps to an empty span. */
export function toOriginalSpan(m: MappedText, start: number, end: number): { start: number; end: number } {
  const n = m.text.length;
  const from = Math.max(0, Math.min(start, n));
  const to = Math.max(from, Math.min(end, n));
  if (n === 0) return { start: 0, end: 0 };
  if (from === to) {
    const at = from < n ? m.starts[from]! : m.ends[n - 1]!;
    return { start: at, end: at };
  }
  // Derivations are monotone in practice, but take min/max so a reordering one still yields a covering span.
  let originalStart = m.starts[from]!;
  let originalEnd = m.ends[to - 1]!;
  for (let i = from; i < to; i++) {
    if (m.starts[i]! < originalStart) originalStart = m.starts[i]!;
    if (m.ends[i]! > originalEnd) originalEnd = m.ends[i]!;
  }
  return { start: originalStart, end: originalEnd };
}

/**
 * Builds a MappedText left to right without a per-character object: text goes into string chunks,
 * the map into typed arrays that grow by doubling. While every char sits at its own offset in the original, no
 * arrays are made at all and the result is an identity().
 */
export class MappedTextBuilder {
  private chunks: string[] = [];
  private length = 0;
  /** Undefined while the text built so far is aligned with its original (char i from [i, i + 1)). */
  private starts: Int32Array | undefined;
  private ends: Int32Array | undefined;

  constructor(private readonly expectedLength: number) {}

  /** Appends `text`, every char of which was produced by original [start, end). */
  emit(text: string, start: number, end: number): void {
    const n = text.length;
    if (n === 0) return;
    if (this.starts === undefined && n === 1 && start === this.length && end === start + 1) {
      this.chunks.push(text);
      this.length++;
      return;
    }
    this.reserve(n);
    this.starts!.fill(start, this.length, this.length + n);
    this.ends!.fill(end, this.length, this.length + n);
    this.chunks.push(text);
    this.length += n;
  }

  /** Appends `text` whose char i came from original [start + i, start + i + 1) (same length as its source). */
  emitAligned(text: string, start: number): void {
    const n = text.length;
    if (n === 0) return;
    if (this.starts === undefined && start === this.length) {
      this.chunks.push(text);
      this.length += n;
      return;
    }
    this.reserve(n);
    const starts = this.starts!;
    const ends = this.ends!;
    let at = this.length;
    for (let i = 0; i < n; i++, at++) {
      starts[at] = start + i;
      ends[at] = start + i + 1;
    }
    this.chunks.push(text);
    this.length += n;
  }

  /** Appends source[from, to) unchanged, each char mapping to its own offset in `source`. */
  copy(source: string, from: number, to: number): void {
    if (to > from) this.emitAligned(source.slice(from, to), from);
  }

  /** The last char emitted, or '' when nothing has been. */
  lastChar(): string {
    const last = this.chunks[this.chunks.length - 1];
    return last === undefined ? '' : last[last.length - 1]!;
  }

  get size(): number {
    return this.length;
  }

  /** The text built; the builder is finished with (its arrays are handed over, not copied). */
  build(): MappedText {
    const text = this.chunks.join('');
    if (this.starts === undefined || this.ends === undefined) return identity(text);
    return { text, starts: this.starts.subarray(0, this.length), ends: this.ends.subarray(0, this.length) };
  }

  /** Room in the map for n more chars; the map is made on first need, mapping what is built so far to itself. */
  private reserve(n: number): void {
    const needed = this.length + n;
    if (this.starts === undefined || this.ends === undefined) {
      let capacity = Math.max(16, this.expectedLength);
      while (capacity < needed) capacity *= 2;
      this.starts = new Int32Array(capacity);
      this.ends = new Int32Array(capacity);
      for (let i = 0; i < this.length; i++) {
        this.starts[i] = i;
        this.ends[i] = i + 1;
      }
      return;
    }
    if (needed <= this.starts.length) return;
    let capacity = this.starts.length * 2;
    while (capacity < needed) capacity *= 2;
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    starts.set(this.starts.subarray(0, this.length));
    ends.set(this.ends.subarray(0, this.length));
    this.starts = starts;
    this.ends = ends;
  }
}

/** A replacement of original [start, end) by `text` (empty text deletes). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies sorted, non-overlapping edits to `source`; untouched text maps to itself, each replacement
 * maps wholly to the span it replaced. Returns undefined when there is nothing to change.
 */
export function applyEdits(source: string, edits: readonly TextEdit[]): MappedText | undefined {
  if (edits.length === 0) return undefined;
  const builder = new MappedTextBuilder(source.length + 16);
  let at = 0;
  for (const edit of edits) {
    builder.copy(source, at, edit.start);
    builder.emit(edit.text, edit.start, edit.end);
    at = edit.end;
  }
  builder.copy(source, at, source.length);
  return builder.build();
}
