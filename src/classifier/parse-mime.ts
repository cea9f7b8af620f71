// Raw RFC 5322 message -> MessageInput, with mailparser doing the MIME work (transfer encodings, charsets,
// encoded words). Whatever the input, the result is something the engine can give a verdict on: what could not
// be read is named in `problems` (the engine holds such mail) rather than silently dropped.

import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { readPlainMail, type PlainMail } from './plain-mime.js';
import { matchesOf } from './regex-matches.js';
import { mayHaveBidiControls, reordersLatinOrDigits } from './bidi-controls.js';
import { calendarText, isCalendar } from './calendar-text.js';
import { decodeCharset } from './decode-charset.js';
import { archiveContents, isArchive, UnreadableArchive, type ArchiveContents } from './archive-entries.js';
import { documentKind, documentText, UnreadableDocument, type DocumentKind } from './document-text.js';
import { pdfText } from './pdf-text.js';
import { hiddenText } from './hidden-text.js';
import { htmlToText } from './html-text.js';
import type { AttachedText, MessageInput } from './types.js';

/**
 * Text screened per body. A longer body is screened at its head and tail (where a message's own words and its
 * signature sit) and the gap is reported, so a 50 MB body costs a bounded amount of screening, not minutes.
 */
export const MAX_TEXT_CHARS = 1_000_000;
/** Raw bytes handed to mailparser; beyond this (twice the default SMTP size limit) only the head is read. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Attachment names kept; a message with thousands of parts would otherwise make thousands of parts to screen. */
export const MAX_ATTACHMENT_NAMES = 100;
/**
 * Attachments read as text (text files, forwarded messages, calendar invitations), the forwarded messages inside
 * them included: each is a part to screen and a forwarded one a further parse, so 10,000 tiny ones cannot cost
 * 10,000 of each. Past it the rest are reported unscreened (a hold).
 */
export const MAX_ATTACHED_TEXTS = 20;
/** Characters of attached text screened per message, all of it together: as much again as one body. */
export const MAX_ATTACHED_TEXT_CHARS = MAX_TEXT_CHARS;
/** Forwarded messages opened inside forwarded messages; one nested deeper is reported unscreened (a hold). */
export const MAX_FORWARD_DEPTH = 3;
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

/**
 * What may still be read as attached text, shared by a message and every message forwarded inside it, and how many
 * were not read for want of it. (Problems never name an attachment: they are logged, and names can say too much.)
 */
interface AttachedBudget {
  texts: number;
  chars: number;
  skipped: number;
}

export async function parseMime(raw: Buffer | string): Promise<MessageInput> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const budget: AttachedBudget = { texts: MAX_ATTACHED_TEXTS, chars: MAX_ATTACHED_TEXT_CHARS, skipped: 0 };
  const input = await parseMessage(bytes, 0, budget);
  if (budget.skipped > 0) {
    input.problems!.push(
      `${budget.skipped} attachment(s) that open as text could not be checked: the message has more of them, or ` +
        `more text in them, than is checked (${MAX_ATTACHED_TEXTS} attachments, ` +
        `${MAX_ATTACHED_TEXT_CHARS.toLocaleString('en-GB')} characters).`,
    );
  }
  // Checked once over everything read, forwarded messages included (their text is in attachedTexts).
  if (hasReorderedText(input)) {
    input.problems!.push(
      'The message contains hidden characters that show letters or numbers in a different order from the way they ' +
        'are written (right-to-left controls), so what the recipient sees may differ from what was checked.',
    );
  }
  if (input.problems?.length === 0) delete input.problems;
  return input;
}

/**
 * A document on its own (a worksheet an admin wants to check before it is sent), read as the relay reads it attached
 * to an otherwise empty message: its name and its text. Undefined when `filename` is not a document the relay reads.
 */
export async function parseDocument(bytes: Buffer, filename: string): Promise<MessageInput | undefined> {
  const kind = documentKind('application/octet-stream', filename);
  if (kind === undefined) return undefined;
  const budget: AttachedBudget = { texts: MAX_ATTACHED_TEXTS, chars: MAX_ATTACHED_TEXT_CHARS, skipped: 0 };
  const problems: string[] = [];
  const { texts } = await readDocument(bytes, kind, filename, budget, problems);
  const input: MessageInput = { attachmentNames: [filename] };
  if (texts.length > 0) input.attachedTexts = texts;
  if (hasReorderedText(input)) {
    problems.push('The document contains right-to-left controls that show letters or numbers in a different order.');
  }
  if (problems.length > 0) input.problems = problems;
  return input;
}

/** Right-to-left controls over Latin text or digits anywhere the recipient reads (see bidi-controls.ts). */
function hasReorderedText(input: MessageInput): boolean {
  const texts = [input.subject, input.text, ...(input.attachmentNames ?? [])];
  for (const attached of input.attachedTexts ?? []) texts.push(attached.text);
  for (const text of texts) {
    if (text !== undefined && mayHaveBidiControls(text) && reordersLatinOrDigits(text)) return true;
  }
  // In HTML a control may be written as a character reference, so the rendered text is what is checked.
  return (
    input.html !== undefined && mayHaveBidiControls(input.html) && reordersLatinOrDigits(htmlToText(input.html).text)
  );
}

async function parseMessage(raw: Buffer, depth: number, budget: AttachedBudget): Promise<MessageInput> {
  const problems: string[] = [];
  let bytes = raw;
  if (bytes.length > MAX_MESSAGE_BYTES) {
    problems.push(
      `The message is ${megabytes(bytes.length)} MB; only its first ${megabytes(MAX_MESSAGE_BYTES)} MB were read.`,
    );
    bytes = bytes.subarray(0, MAX_MESSAGE_BYTES);
  }
  problems.push(...structureProblems(bytes));

  let mail: ParsedMail | PlainMail;
  try {
    // Most school mail is plain text, or text with its HTML alternative: read that without mailparser's streams.
    mail = readPlainMail(bytes) ?? (await simpleParser(bytes, PARSER_OPTIONS));
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
  const attachedTexts: AttachedText[] = [];
  for (const attachment of mail.attachments) {
    if (!isReadableAsText(attachment)) continue;
    const read = await readAttachment(attachment, depth, budget, problems);
    attachedTexts.push(...read.texts);
    names.push(...read.names);
  }
  if (names.length > MAX_ATTACHMENT_NAMES) {
    problems.push(
      `The message has ${names.length} named attachments; only the first ${MAX_ATTACHMENT_NAMES} names were screened.`,
    );
  }
  if (names.length > 0) input.attachmentNames = names.slice(0, MAX_ATTACHMENT_NAMES);
  if (attachedTexts.length > 0) input.attachedTexts = attachedTexts;
  if (nothingRead(mail)) {
    // No part was found at all (a multipart with no or the wrong boundary): what the reader's program makes of the
    // body is unknown, so its raw text is screened and a person reads it.
    const body = rawBody(bytes);
    if (/\S/.test(body)) {
      problems.push("The message's parts could not be told apart, so its raw text was screened instead.");
      input.text = bounded(body, 'The raw message', problems);
    }
  }
  if (isEmpty(input) && /\S/.test(bytes.subarray(0, 4096).toString('latin1'))) {
    problems.push('No headers, text or HTML could be read from the message.');
  }
  input.problems = problems;
  return input;
}

// ---- attachments the reader opens as text ----

/** Forwarded messages ("Forward as attachment" in Outlook): opened with a click and read as mail. */
const MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);

/**
 * Any text/* part (text files, text/markdown, text/enriched, vCards, text/plain or text/html that mailparser filed
 * as an attachment), forwarded messages and calendar invitations: all are shown or opened as text by mail programs.
 * Office, OpenDocument and PDF files too (document-text.ts, pdf-text.ts): a worksheet or letter is read like the body.
 */
function isReadableAsText(attachment: Attachment): boolean {
  const type = attachment.contentType.toLowerCase();
  return (
    type.startsWith('text/') ||
    MESSAGE_TYPES.has(type) ||
    isCalendar(type) ||
    documentKind(type, attachment.filename) !== undefined ||
    isArchive(type, attachment.filename)
  );
}

interface ReadAttachment {
  texts: AttachedText[];
  /** Names of attachments inside a forwarded message: the reader sees them when they open it. */
  names: string[];
}

async function readAttachment(
  attachment: Attachment,
  depth: number,
  budget: AttachedBudget,
  problems: string[],
): Promise<ReadAttachment> {
  const type = attachment.contentType.toLowerCase();
  const name = attachmentName(attachment, type);
  if (budget.texts <= 0 || budget.chars <= 0) {
    budget.skipped++;
    return { texts: [], names: [] };
  }
  budget.texts--;
  if (MESSAGE_TYPES.has(type)) return readForwarded(attachment.content, name, depth, budget, problems);
  const document = documentKind(type, attachment.filename);
  if (document !== undefined) return readDocument(attachment.content, document, name, budget, problems);
  if (isArchive(type, attachment.filename)) return readArchive(attachment.content, name, budget, problems);
  const decoded = decodeText(attachment);
  let text = decoded;
  if (isCalendar(type)) text = calendarText(decoded);
  // text/html, and Apple Watch's text/watch-html alternative: rendered as a mail program shows them.
  else if (type.endsWith('html')) text = readableText(decoded);
  return { texts: spend(budget, [{ name, text }], problems), names: [] };
}

async function readForwarded(
  content: Buffer,
  name: string,
  depth: number,
  budget: AttachedBudget,
  problems: string[],
): Promise<ReadAttachment> {
  if (depth + 1 > MAX_FORWARD_DEPTH) {
    problems.push(`A message attached inside ${MAX_FORWARD_DEPTH} others could not be checked.`);
    return { texts: [], names: [] };
  }
  const inner = await parseMessage(content, depth + 1, budget);
  for (const problem of inner.problems ?? []) problems.push(`In an attached message: ${problem}`);
  const pieces = [inner.subject, inner.text];
  if (inner.html !== undefined) {
    // Mail programs show the HTML alternative: it is screened too unless it only repeats the plain text.
    const rendered = readableText(inner.html);
    if (collapse(rendered) !== collapse(inner.text ?? '')) pieces.push(rendered);
  }
  const own = pieces.filter((p): p is string => p !== undefined && p.trim() !== '').join('\n\n');
  const texts = own === '' ? [] : spend(budget, [{ name, text: own }], problems);
  return { texts: [...texts, ...(inner.attachedTexts ?? [])], names: inner.attachmentNames ?? [] };
}

/** Files in an archive read as text by their names: plain text and tables, web pages, and the documents above. */
const TEXT_FILE = /\.(txt|text|csv|tsv|md|vcf)$/i;
const HTML_FILE = /\.html?$/i;

/**
 * A ZIP archive (a pack of worksheets): the names of all its files, and the text of the ones a reader would open as
 * text or documents, each counted against the message's budget like an attachment of its own.
 */
async function readArchive(
  content: Buffer,
  name: string,
  budget: AttachedBudget,
  problems: string[],
): Promise<ReadAttachment> {
  const readable = (file: string) =>
    TEXT_FILE.test(file) || HTML_FILE.test(file) || documentKind('application/octet-stream', file) !== undefined;
  let contents: ArchiveContents;
  try {
    contents = archiveContents(content, readable);
  } catch (error) {
    if (!(error instanceof UnreadableArchive)) throw error;
    problems.push(`The attachment "${name}" could not be opened to check the files in it: ${error.message}.`);
    return { texts: [], names: [] };
  }
  if (contents.problem !== undefined)
    problems.push(`The attachment "${name}" could only be partly read: ${contents.problem}.`);
  const texts: AttachedText[] = [];
  for (const file of contents.files) {
    if (budget.texts <= 0 || budget.chars <= 0) {
      budget.skipped++;
      continue;
    }
    budget.texts--;
    const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    const inner = `${name}: ${file.name}`;
    const kind = documentKind('application/octet-stream', file.name);
    if (kind !== undefined) {
      texts.push(...(await readDocument(bytes, kind, inner, budget, problems)).texts);
      continue;
    }
    const decoded = decodeCharset(bytes, undefined);
    texts.push(
      ...spend(budget, [{ name: inner, text: HTML_FILE.test(file.name) ? readableText(decoded) : decoded }], problems),
    );
  }
  return { texts, names: contents.names };
}

/** A document's text; one that cannot be opened (password-protected, damaged) is reported, so a person reads it. */
async function readDocument(
  content: Buffer,
  kind: DocumentKind,
  name: string,
  budget: AttachedBudget,
  problems: string[],
): Promise<ReadAttachment> {
  try {
    const read = kind === 'pdf' ? await pdfText(content) : documentText(content, kind);
    if (read.problem !== undefined)
      problems.push(`The attachment "${name}" could only be partly read: ${read.problem}.`);
    return { texts: spend(budget, [{ name, text: read.text }], problems), names: [] };
  } catch (error) {
    if (!(error instanceof UnreadableDocument)) throw error;
    problems.push(`The attachment "${name}" could not be opened to check its text: ${error.message}.`);
    return { texts: [], names: [] };
  }
}

/** Texts cut to what is left of the budget; what had to be skipped is reported. */
function spend(budget: AttachedBudget, texts: AttachedText[], problems: string[]): AttachedText[] {
  const kept: AttachedText[] = [];
  for (const { name, text } of texts) {
    if (text.trim() === '') continue;
    const limit = Math.min(MAX_TEXT_CHARS, budget.chars);
    const cut = bounded(text, 'An attachment', problems, limit);
    budget.chars -= cut.length;
    kept.push({ name, text: cut });
  }
  return kept;
}

function attachmentName(attachment: Attachment, type: string): string {
  if (attachment.filename) return attachment.filename;
  if (isCalendar(type)) return 'Calendar invitation';
  if (MESSAGE_TYPES.has(type)) return 'Forwarded message';
  if (documentKind(type, undefined) !== undefined) return 'Attached document';
  return 'More text sent with the message';
}

/** An attachment's bytes in its declared charset (mailparser decodes the transfer encoding, not the charset). */
function decodeText(attachment: Attachment): string {
  const header = attachment.headers.get('content-type');
  const params = typeof header === 'object' && header !== null && 'params' in header ? header.params : undefined;
  // An unknown charset is already a problem (see structureProblems); it is read as UTF-8 so its words are screened.
  return decodeCharset(attachment.content, (params as Record<string, string> | undefined)?.charset);
}

/** mailparser found no text/plain, no HTML and no attachment: not even an empty part. */
function nothingRead(mail: ParsedMail | PlainMail): boolean {
  return mail.text === undefined && typeof mail.html !== 'string' && mail.attachments.length === 0;
}

/** Everything after the message's header (its first blank line), as UTF-8. */
function rawBody(bytes: Buffer): string {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : bytes.length;
  return bytes.subarray(end).toString('utf8');
}

/** What an attached HTML document says: its rendered text, then (a paragraph apart) any text hidden in it. */
function readableText(html: string): string {
  const visible = htmlToText(html).text;
  const hidden = hiddenText(html).text;
  return hidden === '' ? visible : `${visible}\n\n${hidden}`;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isEmpty(input: MessageInput): boolean {
  return input.subject === undefined && input.text === undefined && input.html === undefined && !input.attachmentNames;
}

/** Head and tail of an over-long body, with a problem saying how much was skipped. */
function bounded(text: string, what: string, problems: string[], limit = MAX_TEXT_CHARS): string {
  if (text.length <= limit) return text;
  const half = Math.max(0, Math.floor((limit - GAP_MARK.length) / 2));
  problems.push(
    `${what} is ${text.length.toLocaleString('en-GB')} characters; only its first and last ` +
      `${half.toLocaleString('en-GB')} were screened.`,
  );
  return text.slice(0, half) + GAP_MARK + text.slice(text.length - half);
}

// ---- checks mailparser does not report ----

const BOUNDARY_PARAMETER = /boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))/gi;
/** A multipart Content-Type header with its folded continuation lines, where its boundary parameter must be. */
const MULTIPART_TYPE = /^content-type:[ \t]*multipart\/[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/gim;
const CHARSET_PARAMETER = /charset\s*=\s*"?([a-z0-9_.:()+-]{1,60})"?/gi;
const HAS_BOUNDARY = /boundary\s*=/i;
const TRAILING_SPACE = /\s+$/;

/**
 * Truncated multiparts (a boundary opened but never closed: parts may be missing), multiparts with no boundary
 * (mailparser reads nothing of them) and charsets no decoder knows (the text may be mis-read; UTF-7 is a classic way
 * round keyword filters).
 */
function structureProblems(bytes: Buffer): string[] {
  const problems: string[] = [];
  const source = bytes.toString('latin1');
  const { headers, closed } = scanLines(source);
  const boundaries = new Set<string>();
  for (const match of matchesOf(BOUNDARY_PARAMETER, headers)) {
    boundaries.add(match[1] ?? match[2]!);
    if (boundaries.size >= MAX_BOUNDARIES_CHECKED) break;
  }
  for (const boundary of boundaries) {
    if (!closed.has(boundary)) {
      problems.push(
        'The message ends before its last MIME part is closed (it may be truncated); parts may be missing.',
      );
      break;
    }
  }
  let multiparts = 0;
  for (const match of matchesOf(MULTIPART_TYPE, headers)) {
    if (++multiparts > MAX_BOUNDARIES_CHECKED) break;
    if (!HAS_BOUNDARY.test(match[0])) {
      problems.push(
        'Part of the message says it is made of several parts but not where they divide (it has no MIME boundary), ' +
          'so the text in it could not be read.',
      );
      break;
    }
  }
  const unknown = new Set<string>();
  let checked = 0;
  for (const match of matchesOf(CHARSET_PARAMETER, headers)) {
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
 * One pass over the message's lines (two passes cost ~0.3% of screening a school e-mail) for:
 *
 * - `headers`: the header blocks of the message and of every part (a line starting "--" opens a part's headers; a
 *   blank line closes any block), joined. Parameters are looked for only there: a body can say `charset=3D"utf-8"`
 *   (an HTML <meta> tag in quoted-printable) without that being a charset of the message.
 * - `closed`: boundaries that have a closing delimiter line ("--boundary--").
 */
function scanLines(source: string): { headers: string; closed: Set<string> } {
  const blocks: string[] = [];
  const closed = new Set<string>();
  let inHeader = true;
  let blockStart = 0;
  let at = 0;
  while (at < source.length) {
    let end = source.indexOf('\n', at);
    if (end < 0) end = source.length;
    const blank = end - at === 0 || (end - at === 1 && source.charCodeAt(at) === 13);
    const dashes = source.charCodeAt(at) === 45 && source.charCodeAt(at + 1) === 45;
    if (dashes && end - at <= 210) {
      const line = source.slice(at + 2, end).replace(TRAILING_SPACE, '');
      if (line.endsWith('--')) closed.add(line.slice(0, -2));
    }
    if (inHeader && blank) {
      blocks.push(source.slice(blockStart, at));
      inHeader = false;
    } else if (!inHeader && dashes) {
      inHeader = true;
      blockStart = end + 1;
    }
    at = end + 1;
  }
  if (inHeader) blocks.push(source.slice(blockStart));
  return { headers: blocks.join('\n'), closed };
}

/** Charset labels already looked up, and whether a decoder knows them (a TextDecoder is made to find out). */
const knownCharsets = new Map<string, boolean>();
/** Labels remembered; a message can declare a new one per part, so the memo is emptied past this. */
const MAX_KNOWN_CHARSETS = 256;

function isKnownCharset(label: string): boolean {
  let known = knownCharsets.get(label);
  if (known === undefined) {
    known = decoderKnows(label);
    if (knownCharsets.size >= MAX_KNOWN_CHARSETS) knownCharsets.clear();
    knownCharsets.set(label, known);
  }
  return known;
}

function decoderKnows(label: string): boolean {
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
