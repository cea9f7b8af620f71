// Raw RFC 5322 message -> MessageInput, with mailparser doing the MIME work (transfer encodings, charsets,
// encoded words). Whatever the input, the result is something the engine can give a verdict on: what could not
// be read is named in `problems` (the engine holds such mail) rather than silently dropped.

import { simpleParser, type ParsedMail } from 'mailparser';
import type { MessageInput } from './types.js';

/**
 * Text screened per body. A longer body is screened at its head and tail (where a message's own words and its
 * signature sit) and the gap is reported, so a 50 MB body costs a bounded amount of screening, not minutes.
 */
export const MAX_TEXT_CHARS = 1_000_000;
/** Raw bytes handed to mailparser; beyond this (twice the default SMTP size limit) only the head is read. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Attachment names kept; a message with thousands of parts would otherwise make thousands of parts to screen. */
export const MAX_ATTACHMENT_NAMES = 100;
/** Boundaries checked for a closing delimiter; bounds the truncation check on a message of nested multiparts. */
export const MAX_BOUNDARIES_CHECKED = 200;
/** Charset labels checked; a message declares one per part. */
export const MAX_CHARSETS_CHECKED = 200;

const GAP_MARK = '\n\n[…]\n\n';

const PARSER_OPTIONS = {
  // Keep `text` only for a real text/plain body: derived text would repeat the HTML's findings under another part.
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
} as const;

export async function parseMime(raw: Buffer | string): Promise<MessageInput> {
  const problems: string[] = [];
  let bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  if (bytes.length > MAX_MESSAGE_BYTES) {
    problems.push(
      `The message is ${megabytes(bytes.length)} MB; only its first ${megabytes(MAX_MESSAGE_BYTES)} MB were read.`,
    );
    bytes = bytes.subarray(0, MAX_MESSAGE_BYTES);
  }
  problems.push(...structureProblems(bytes));

  let mail: ParsedMail;
  try {
    mail = await simpleParser(bytes, PARSER_OPTIONS);
  } catch (error) {
    // mailparser refuses some structures outright (too many parts, huge headers): screen the raw text instead.
    problems.push(
      `The message's MIME structure could not be read (${describe(error)}); its raw text was screened instead.`,
    );
    return { text: bounded(bytes.toString('utf8'), 'The raw message', problems), problems };
  }

  const input: MessageInput = {};
  if (mail.subject !== undefined && mail.subject !== '') input.subject = mail.subject;
  if (typeof mail.text === 'string' && mail.text.trim() !== '') input.text = bounded(mail.text, 'The text', problems);
  if (typeof mail.html === 'string' && mail.html.trim() !== '') input.html = bounded(mail.html, 'The HTML', problems);
  const names = mail.attachments.map((a) => a.filename).filter((n): n is string => typeof n === 'string' && n !== '');
  if (names.length > MAX_ATTACHMENT_NAMES) {
    problems.push(
      `The message has ${names.length} named attachments; only the first ${MAX_ATTACHMENT_NAMES} names were screened.`,
    );
  }
  if (names.length > 0) input.attachmentNames = names.slice(0, MAX_ATTACHMENT_NAMES);
  const unreadable = mail.attachments.filter((a) => isUnreadTextPart(a.contentType, a.contentDisposition));
  if (unreadable.length > 0) {
    problems.push(`${unreadable.length} text part(s) of the message were not shown as its body and were not screened.`);
  }
  if (isEmpty(input) && /\S/.test(bytes.subarray(0, 4096).toString('latin1'))) {
    problems.push('No headers, text or HTML could be read from the message.');
  }
  if (problems.length > 0) input.problems = problems;
  return input;
}

/** A text/plain or text/html part mailparser filed as an attachment: content a reader may see, not screened. */
function isUnreadTextPart(contentType: string, disposition: string | undefined): boolean {
  return (contentType === 'text/plain' || contentType === 'text/html') && disposition !== 'attachment';
}

function isEmpty(input: MessageInput): boolean {
  return input.subject === undefined && input.text === undefined && input.html === undefined && !input.attachmentNames;
}

/** Head and tail of an over-long body, with a problem saying how much was skipped. */
function bounded(text: string, what: string, problems: string[]): string {
  if (text.length <= MAX_TEXT_CHARS) return text;
  const half = Math.floor((MAX_TEXT_CHARS - GAP_MARK.length) / 2);
  problems.push(
    `${what} is ${text.length.toLocaleString('en-GB')} characters; only its first and last ` +
      `${half.toLocaleString('en-GB')} were screened.`,
  );
  return text.slice(0, half) + GAP_MARK + text.slice(text.length - half);
}

// ---- checks mailparser does not report ----

const BOUNDARY_PARAMETER = /boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))/gi;
const CHARSET_PARAMETER = /charset\s*=\s*"?([a-z0-9_.:()+-]{1,60})"?/gi;

/**
 * Truncated multiparts (a boundary opened but never closed: parts may be missing) and charsets no decoder knows
 * (the text may be mis-read; UTF-7 is a classic way round keyword filters).
 */
function structureProblems(bytes: Buffer): string[] {
  const problems: string[] = [];
  const source = bytes.toString('latin1');
  const headers = headerBlocks(source);
  const boundaries = new Set<string>();
  for (const match of headers.matchAll(BOUNDARY_PARAMETER)) {
    boundaries.add(match[1] ?? match[2]!);
    if (boundaries.size >= MAX_BOUNDARIES_CHECKED) break;
  }
  if (boundaries.size > 0) {
    const closed = closedBoundaries(source);
    const open = [...boundaries].filter((boundary) => !closed.has(boundary));
    if (open.length > 0) {
      problems.push(
        'The message ends before its last MIME part is closed (it may be truncated); parts may be missing.',
      );
    }
  }
  const unknown = new Set<string>();
  let checked = 0;
  for (const match of headers.matchAll(CHARSET_PARAMETER)) {
    if (++checked > MAX_CHARSETS_CHECKED) break;
    const label = match[1]!.toLowerCase();
    if (!isKnownCharset(label)) unknown.add(label);
  }
  if (unknown.size > 0) {
    problems.push(`The message uses a character set that could not be decoded reliably: ${[...unknown].join(', ')}.`);
  }
  return problems;
}

/**
 * The header blocks of the message and of every part (a line starting "--" opens a part's headers; a blank line
 * closes any block), joined. Parameters are looked for only there: a body can say `charset=3D"utf-8"` (an HTML
 * <meta> tag in quoted-printable) without that being a charset of the message.
 */
function headerBlocks(source: string): string {
  const blocks: string[] = [];
  let inHeader = true;
  let blockStart = 0;
  let at = 0;
  while (at < source.length) {
    let end = source.indexOf('\n', at);
    if (end < 0) end = source.length;
    const blank = end - at === 0 || (end - at === 1 && source.charCodeAt(at) === 13);
    if (inHeader && blank) {
      blocks.push(source.slice(blockStart, at));
      inHeader = false;
    } else if (!inHeader && source.charCodeAt(at) === 45 && source.charCodeAt(at + 1) === 45) {
      inHeader = true;
      blockStart = end + 1;
    }
    at = end + 1;
  }
  if (inHeader) blocks.push(source.slice(blockStart));
  return blocks.join('\n');
}

/** Boundaries that have a closing delimiter line ("--boundary--"), found in one pass over the lines. */
function closedBoundaries(source: string): Set<string> {
  const closed = new Set<string>();
  let at = 0;
  while (at < source.length) {
    let end = source.indexOf('\n', at);
    if (end < 0) end = source.length;
    if (source.charCodeAt(at) === 45 && source.charCodeAt(at + 1) === 45 && end - at <= 210) {
      const line = source.slice(at + 2, end).replace(/\s+$/, '');
      if (line.endsWith('--')) closed.add(line.slice(0, -2));
    }
    at = end + 1;
  }
  return closed;
}

function isKnownCharset(label: string): boolean {
  if (label === 'utf-7' || label === 'utf7' || label === 'unicode-1-1-utf-7') return false;
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(0);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
