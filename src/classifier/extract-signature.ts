// Finds the signature closing a message body (name, role, school, phone), so rules can tell the school's
// switchboard number in a signature from a personal number in the message.

import { splitLines, type Line } from './extract-quoted.js';

/** Lines after a "-- " delimiter still read as a signature (long disclaimers included). */
const MAX_DELIMITED_SIGNATURE_LINES = 40;
/** A signature under a sign-off is a few short lines: name, role, school, phone, address. */
const MAX_SIGN_OFF_SIGNATURE_LINES = 8;
const MAX_SIGNATURE_LINE_CHARS = 80;
const MAX_SIGNATURE_LINE_WORDS = 10;
const MAX_SIGN_OFF_SIGNATURE_CHARS = 500;

/** RFC 3676 section 4.3 signature separator ("-- "), and the "--" that clients which trim lines leave. */
const DELIMITER = /^-- ?$/;
/** "Kind regards,", "Best wishes", "Thanks, Jo", "Yours sincerely": a closing line, maybe with the name on it. */
const SIGN_OFF =
  /^(?:(?:with\s+)?(?:kind(?:est)?|best|warm(?:est)?|many|all\s+the|with)\s+)?(?:regards|wishes|thanks|best|thank\s+you|cheers|yours\s+(?:sincerely|faithfully|truly)|sincerely|take\s+care)\s*(?:[,.!]|[,–-]\s*[\p{L}][\p{L}.'-]*(?:\s+[\p{L}][\p{L}.'-]*){0,2})?$/iu;

/**
 * Offset in `body` where its signature starts (it runs to the end), or undefined when there is none.
 * A sign-off followed by a paragraph is not a signature: every line under it must be short.
 */
export function findSignatureStart(body: string): number | undefined {
  const lines = splitLines(body);
  const last = lastNonBlank(lines);
  if (last === undefined) return undefined;
  for (let i = last; i >= 0 && last - i <= MAX_DELIMITED_SIGNATURE_LINES; i--) {
    if (DELIMITER.test(lines[i]!.text.trimEnd()) && i < last) return lines[i]!.start;
  }
  let nonBlank = 0;
  let chars = 0;
  for (let i = last; i >= 0; i--) {
    const text = lines[i]!.text.trim();
    if (text === '') continue;
    if (text.length <= MAX_SIGNATURE_LINE_CHARS && SIGN_OFF.test(text))
      return i < last ? lines[nextNonBlank(lines, i + 1)]!.start : undefined;
    nonBlank++;
    chars += text.length;
    const tooLong = text.length > MAX_SIGNATURE_LINE_CHARS || text.split(/\s+/).length > MAX_SIGNATURE_LINE_WORDS;
    if (tooLong || nonBlank > MAX_SIGN_OFF_SIGNATURE_LINES || chars > MAX_SIGN_OFF_SIGNATURE_CHARS) return undefined;
  }
  return undefined;
}

function lastNonBlank(lines: Line[]): number | undefined {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.text.trim() !== '') return i;
  return undefined;
}

function nextNonBlank(lines: Line[], from: number): number {
  for (let i = from; i < lines.length; i++) if (lines[i]!.text.trim() !== '') return i;
  return from;
}
