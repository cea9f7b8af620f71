// Finds the earlier message a reply quotes, so a pupil's words under the reply are not read as the sender's.
// Conservative on purpose: text is only treated as quoted when a mail client would have produced it that way,
// because whatever is marked quoted is never screened.

export interface TextRegion {
  start: number;
  end: number;
}

/** Lines scanned ahead for the rest of an Outlook header block or a wrapped attribution line. */
const HEADER_LOOKAHEAD_LINES = 6;
/** An attribution line longer than this is prose that happens to end in "wrote:". */
const MAX_ATTRIBUTION_CHARS = 400;

/** "On Mon, 3 Mar 2025 at 10:15, Jo Bloggs <jo@example.com> wrote:" and its translations by common clients. */
const ATTRIBUTION_END =
  /(?:wrote|writes|schrieb|a écrit|escribió|ha scritto|schreef|skrev|escreveu|napisał(?:\(a\))?|kirjoitti|yazdı)\s*:\s*$/i;
const ATTRIBUTION_START = /^(?:on|le|am|el|il|op|em|den|w dniu|dne|on \w+day)\b/i;
/** Separators after which everything is the earlier message (Outlook, Thunderbird, Gmail and Apple forwarding). */
const TO_END_SEPARATORS = [
  /^-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale)\s*-{2,}$/i,
  /^-{2,}\s*forwarded message\s*-{2,}$/i,
  /^begin forwarded message:$/i,
  /^-{2,}\s*forwarded by .{1,200}-{2,}$/i,
];
const UNDERSCORE_RULE = /^_{10,}$/;
const HEADER_FROM = /^\*?(?:from|von|de|da|van)\s*:\*?\s*\S/i;
const HEADER_SENT = /^\*?(?:sent|date|gesendet|datum|envoyé|enviado|inviato|verzonden)\s*:\*?\s*\S/i;
const HEADER_SUBJECT = /^\*?(?:subject|betreff|objet|asunto|oggetto|onderwerp)\s*:\*?/i;
const QUOTE_MARKER = /^[ \t]*>/;

export interface Line {
  start: number;
  /** End of the line's content, before its line break. */
  end: number;
  text: string;
}

/** The quoted stretches of a plain-text body, in order, not overlapping; each covers whole lines. */
export function findQuotedRegions(text: string): TextRegion[] {
  const lines = splitLines(text);
  const regions: TextRegion[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const trimmed = line.text.trim();
    const toEnd = startsQuotedRemainder(lines, i, trimmed);
    if (toEnd !== undefined) {
      regions.push({ start: lines[toEnd]!.start, end: text.length });
      break;
    }
    const attribution = attributionEnd(lines, i, trimmed);
    if (attribution !== undefined) {
      const blockEnd = quoteBlockEnd(lines, attribution + 1);
      if (blockEnd !== undefined) {
        regions.push({ start: line.start, end: lines[blockEnd]!.end });
        i = blockEnd + 1;
        continue;
      }
    }
    if (QUOTE_MARKER.test(line.text)) {
      const blockEnd = quoteBlockEnd(lines, i)!;
      regions.push({ start: line.start, end: lines[blockEnd]!.end });
      i = blockEnd + 1;
      continue;
    }
    i++;
  }
  return regions;
}

/** Index of the line where an everything-below-is-quoted block starts at line i, if it does. */
function startsQuotedRemainder(lines: Line[], i: number, trimmed: string): number | undefined {
  if (TO_END_SEPARATORS.some((separator) => separator.test(trimmed))) return i;
  if (UNDERSCORE_RULE.test(trimmed)) {
    const next = nextNonBlank(lines, i + 1);
    if (next !== undefined && isOutlookHeader(lines, next)) return i;
  }
  if (isOutlookHeader(lines, i)) return i;
  return undefined;
}

/** "From: ... / Sent: ... / To: ... / Subject: ..." as Outlook writes above the message it replies to. */
function isOutlookHeader(lines: Line[], i: number): boolean {
  if (!HEADER_FROM.test(lines[i]!.text.trim())) return false;
  let sawSent = false;
  for (let j = i + 1; j < Math.min(lines.length, i + 1 + HEADER_LOOKAHEAD_LINES); j++) {
    const trimmed = lines[j]!.text.trim();
    if (HEADER_SENT.test(trimmed)) sawSent = true;
    else if (HEADER_SUBJECT.test(trimmed)) return sawSent;
  }
  return false;
}

/** Whether a trimmed line ends an attribution; a line not ending in ':' is spared the regex (most lines of mail). */
function endsAttribution(trimmed: string): boolean {
  return trimmed.endsWith(':') && ATTRIBUTION_END.test(trimmed);
}

/** The last line of an attribution starting at line i ("On ..., X" may wrap before "wrote:"), if it is one. */
function attributionEnd(lines: Line[], i: number, trimmed: string): number | undefined {
  if (trimmed.length > MAX_ATTRIBUTION_CHARS) return undefined;
  if (endsAttribution(trimmed)) return i;
  if (!ATTRIBUTION_START.test(trimmed)) return undefined;
  let joined = trimmed;
  for (let j = i + 1; j < Math.min(lines.length, i + 3); j++) {
    const next = lines[j]!.text.trim();
    if (next === '') return undefined;
    joined += ' ' + next;
    if (joined.length > MAX_ATTRIBUTION_CHARS) return undefined;
    if (endsAttribution(next)) return j;
  }
  return undefined;
}

/**
 * The last line of a run of ">" lines starting at or after line `from` (blank lines may sit inside the run,
 * not before it except directly under an attribution); undefined when no ">" line follows.
 */
function quoteBlockEnd(lines: Line[], from: number): number | undefined {
  const first = nextNonBlank(lines, from);
  if (first === undefined || !QUOTE_MARKER.test(lines[first]!.text)) return undefined;
  let last = first;
  for (let j = first + 1; j < lines.length; j++) {
    const text = lines[j]!.text;
    if (QUOTE_MARKER.test(text)) last = j;
    else if (text.trim() !== '') break;
  }
  return last;
}

function nextNonBlank(lines: Line[], from: number): number | undefined {
  for (let j = from; j < lines.length; j++) if (lines[j]!.text.trim() !== '') return j;
  return undefined;
}

/** The lines of `text` with their offsets; a CR before the LF is not part of the line. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const contentEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    lines.push({ start, end: contentEnd, text: text.slice(start, contentEnd) });
    start = end + 1;
  }
  return lines;
}
