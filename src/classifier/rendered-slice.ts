// One part's share of a rendering of the whole HTML body. The HTML is rendered once per message and every part cut
// from it reads its slice, which also keeps what rendering the part's source alone would lose (the <pre> or the
// hidden container it sits in, a style sheet in the head).

import type { TextRegion } from './extract-quoted.js';
import type { MappedText } from './mapped-text.js';

/** The rendered chars [from, to) whose source lies in `region` (rendering keeps source order, so it is one slice). */
export function renderedRange(rendered: MappedText, region: TextRegion): { from: number; to: number } {
  const from = firstRenderedAtOrAfter(rendered, region.start);
  return { from, to: Math.max(from, firstRenderedAtOrAfter(rendered, region.end)) };
}

/**
 * What source `region` renders to, without whitespace at either end (a break between blocks belongs to neither). Its
 * map, each char mapped to offsets from region.start (so into the text of the part cut there), is made on demand: an
 * HTML alternative that reads as its plain text is never normalised, so never needs it.
 */
export function renderedSlice(rendered: MappedText, region: TextRegion): { text: string; mapped: () => MappedText } {
  let { from, to } = renderedRange(rendered, region);
  while (from < to && isSpace(rendered.text.charCodeAt(from))) from++;
  while (to > from && isSpace(rendered.text.charCodeAt(to - 1))) to--;
  const text = rendered.text.slice(from, to);
  return { text, mapped: () => rebased(rendered, from, to, region) };
}

function rebased(rendered: MappedText, from: number, to: number, region: TextRegion): MappedText {
  const length = region.end - region.start;
  const starts = new Int32Array(to - from);
  const ends = new Int32Array(to - from);
  for (let i = from; i < to; i++) {
    // A char rendered from a tag the part does not hold (a link's target shown after its text) maps to its edge.
    starts[i - from] = clamp(rendered.starts[i]! - region.start, length);
    ends[i - from] = clamp(rendered.ends[i]! - region.start, length);
  }
  return { text: rendered.text.slice(from, to), starts, ends };
}

function firstRenderedAtOrAfter(rendered: MappedText, offset: number): number {
  let low = 0;
  let high = rendered.text.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rendered.starts[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

function clamp(offset: number, length: number): number {
  return offset < 0 ? 0 : offset > length ? length : offset;
}

/** The whitespace a browser collapses (not U+00A0, which renders as a space a reader sees). */
export function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
}
