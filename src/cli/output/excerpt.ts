// Where a finding is (line:column in the text it came from) and the line it is on, cut to a readable width,
// with the finding marked: underlined in colour, or with ^^^ beneath when colour is off.

import type { Palette } from './colour.js';

export interface Location {
  line: number;
  column: number;
}

/** 1-based line and column of an offset (columns count UTF-16 code units, as editors mostly do). */
export function locate(text: string, offset: number): Location {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Widest excerpt shown; longer lines are cut around the finding. */
const EXCERPT_WIDTH = 100;

/** The finding's line with the finding marked, as one or two output lines (without indentation). */
export function excerpt(text: string, start: number, end: number, colour: Palette): string[] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', start);
  const lineEnd = newline === -1 ? text.length : newline;
  const markEnd = Math.max(start + 1, Math.min(end, lineEnd));
  let from = lineStart;
  let to = lineEnd;
  if (to - from > EXCERPT_WIDTH) {
    from = Math.max(lineStart, start - Math.floor((EXCERPT_WIDTH - (markEnd - start)) / 2));
    to = Math.min(lineEnd, from + EXCERPT_WIDTH);
  }
  const clean = (s: string): string => s.replace(/[\t\r\u0000-\u001f]/g, ' ');
  const before = (from > lineStart ? '…' : '') + clean(text.slice(from, start));
  const marked = clean(text.slice(start, Math.min(markEnd, to)));
  const after = clean(text.slice(Math.min(markEnd, to), to)) + (to < lineEnd ? '…' : '');
  if (colour.enabled) return [before + colour.red(colour.underline(marked)) + after];
  return [before + marked + after, ' '.repeat(before.length) + '^'.repeat(Math.max(1, marked.length))];
}
