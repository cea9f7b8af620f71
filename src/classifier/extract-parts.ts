// Cuts a message into the stretches the classifier screens: subject, the sender's own words, the signature,
// the quoted earlier message (never screened: a pupil's words are not the sender's), HTML, text hidden in the HTML,
// attachment names, and the text of what the reader opens from the message (text attachments, forwarded messages,
// calendar invitations).

import type { MessageInput, MessagePart, PartKind, SourceKind } from './types.js';
import { findQuotedRegions, type TextRegion } from './extract-quoted.js';
import { findSignatureStart } from './extract-signature.js';
import { hiddenText } from './hidden-text.js';
import { HIDDEN, htmlToText, MAX_HTML_DEPTH, type HtmlObserver } from './html-text.js';
import { toOriginalSpan, type MappedText } from './mapped-text.js';
import { isSpace, renderedRange } from './rendered-slice.js';

/** Between attached texts in their joined source: a paragraph break, so no phrase runs from one into the next. */
const ATTACHED_SEPARATOR = '\n\n';

/**
 * The original strings parts are cut from. Attachment names are one string, joined by '\n', and attached texts
 * one string joined by a blank line, so an attachment-name or attachment part's offset points into it like any
 * other part's.
 */
export function partSources(input: MessageInput | string): Record<SourceKind, string> {
  const message = typeof input === 'string' ? { text: input } : input;
  return {
    subject: message.subject ?? '',
    text: message.text ?? '',
    html: message.html ?? '',
    attachments: (message.attachmentNames ?? []).join('\n'),
    attached: (message.attachedTexts ?? []).map((a) => a.text).join(ATTACHED_SEPARATOR),
  };
}

/** The message's parts in reading order; each part's text is sources[source].slice(offset, offset + text.length). */
export function extractParts(input: MessageInput | string): MessagePart[] {
  return extractPartsToScreen(input).map(({ part }) => part);
}

/** A part, and for a part cut from HTML the rendering of the whole HTML body it is read from (see rendered-slice.ts). */
export interface PartToScreen {
  part: MessagePart;
  /** What the reader sees of the whole HTML body; for a 'hidden' part, the text they cannot see (hiddenText). */
  rendering?: MappedText;
}

/** extractParts, with the HTML body's renderings made while cutting it, so it is rendered only once per message. */
export function extractPartsToScreen(input: MessageInput | string): PartToScreen[] {
  const sources = partSources(input);
  const parts: MessagePart[] = [];
  pushTrimmed(parts, 'subject', 'subject', sources.subject, 0, sources.subject.length);
  if (sources.text !== '') parts.push(...textParts(sources.text));
  const html = sources.html === '' ? undefined : htmlParts(sources.html);
  if (html) parts.push(...html.parts);
  let offset = 0;
  for (const name of typeof input === 'string' ? [] : (input.attachmentNames ?? [])) {
    pushTrimmed(parts, 'attachment-name', 'attachments', sources.attachments, offset, offset + name.length);
    offset += name.length + 1;
  }
  offset = 0;
  for (const { name, text } of typeof input === 'string' ? [] : (input.attachedTexts ?? [])) {
    const from = parts.length;
    pushTrimmed(parts, 'attachment', 'attached', sources.attached, offset, offset + text.length);
    if (parts.length > from) parts[from]!.name = name;
    offset += text.length + ATTACHED_SEPARATOR.length;
  }
  // Hidden text is rendered only for a message that has some (hidden parts are rare).
  const hidden = html?.parts.some((p) => p.kind === 'hidden') ? hiddenText(sources.html) : undefined;
  return parts.map((part) => {
    if (part.source !== 'html' || html === undefined) return { part };
    return { part, rendering: part.kind === 'hidden' ? hidden : html.rendered };
  });
}

// ---- text/plain ----

function textParts(text: string): MessagePart[] {
  const quoted = findQuotedRegions(text);
  const authored = complement(quoted, text.length).filter((region) => !isBlank(text, region));
  const lastAuthored = authored[authored.length - 1];
  const signatureStart = lastAuthored && findSignatureStart(text.slice(lastAuthored.start, lastAuthored.end));
  const regions: { kind: PartKind; region: TextRegion }[] = quoted.map((region) => ({ kind: 'quoted', region }));
  for (const region of authored) {
    if (region === lastAuthored && signatureStart !== undefined) {
      const split = region.start + signatureStart;
      regions.push({ kind: 'body', region: { start: region.start, end: split } });
      regions.push({ kind: 'signature', region: { start: split, end: region.end } });
    } else {
      regions.push({ kind: 'body', region });
    }
  }
  return toParts(regions, 'text', text);
}

// ---- text/html ----

/** Elements whose whole content is the earlier message (Gmail, Apple Mail, Thunderbird, Yahoo). */
const QUOTE_CLASSES = ['gmail_quote', 'gmail_quote_container', 'yahoo_quoted', 'moz-cite-prefix', 'protonmail_quote'];
/** Markers after which everything is the earlier message (Outlook on the web and desktop, new Outlook). */
const QUOTE_TO_END_IDS = ['divrplyfwdmsg', 'appendonsend', 'mail-editor-reference-message-container', 'stopspelling'];
const SIGNATURE_CLASSES = ['gmail_signature', 'moz-signature'];
const SIGNATURE_IDS = ['signature', 'signature_bookmark'];

interface MarkedRegion {
  kind: 'quoted' | 'signature';
  region: TextRegion;
}

function htmlParts(html: string): { parts: MessagePart[]; rendered: MappedText } {
  const observer = new MarkedHtmlRegions(html);
  const rendered = htmlToText(html, observer);
  const { regions: marked, hiddenTextAt } = observer.finish();
  // Quote headers written as text (Outlook desktop's "From: ... Sent: ..." block) are found in the rendered text.
  for (const region of findQuotedRegions(rendered.text)) {
    marked.push({ kind: 'quoted', region: sourceSpan(rendered, region) });
  }
  const quoted = mergeRegions(marked.filter((m) => m.kind === 'quoted').map((m) => m.region));
  const signatures = mergeRegions(
    marked.filter((m) => m.kind === 'signature' && !quoted.some((q) => contains(q, m.region))).map((m) => m.region),
  );
  const authored = complement(mergeRegions([...quoted, ...signatures]), html.length).filter(
    (region) => renderedText(rendered, region).text.trim() !== '',
  );
  const regions: { kind: PartKind; region: TextRegion }[] = [
    ...quoted.map((region) => ({ kind: 'quoted' as const, region })),
    ...signatures.map((region) => ({ kind: 'signature' as const, region })),
  ];
  const lastAuthored = authored[authored.length - 1];
  for (const region of authored) {
    const split = region === lastAuthored && signatures.length === 0 ? htmlSignatureStart(rendered, region) : undefined;
    if (split !== undefined) {
      regions.push({ kind: 'html', region: { start: region.start, end: split } });
      regions.push({ kind: 'signature', region: { start: split, end: region.end } });
    } else {
      regions.push({ kind: 'html', region });
    }
  }
  // Text the reader cannot see is not in the rendered text of these parts; it is screened as a part of its own
  // over the same source, read by hiddenText. (Hidden text in a quoted region stays unscreened, like the rest of it.)
  const screened = regions.filter((r) => r.kind !== 'quoted');
  for (const { region } of screened) {
    if (anyWithin(hiddenTextAt, region)) regions.push({ kind: 'hidden', region });
  }
  return { parts: toParts(regions, 'html', html), rendered };
}

/** Whether a sorted list of offsets has one in [region.start, region.end). */
function anyWithin(sorted: number[], region: TextRegion): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < region.start) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low]! < region.end;
}

/**
 * Quoted and signature elements found by their tags, ids and classes, as source offsets; and where text the reader
 * cannot see, or a picture's description, starts (one offset per such text or picture, so at most one per
 * character of the bounded HTML body). Read from htmlToText's parse of the body, as it renders it.
 */
class MarkedHtmlRegions implements HtmlObserver {
  readonly regions: MarkedRegion[] = [];
  readonly hiddenTextAt: number[] = [];
  private hidingDepth = 0;
  private neverShownDepth = 0;
  // The stack holds, per open element, the region it starts (if any), so nested elements close in step.
  private readonly stack: (MarkedRegion | undefined)[] = [];
  private insideMarked = 0;
  private quotedToEnd: number | undefined;
  private stopped = false;

  constructor(private readonly html: string) {}

  open(name: string, attribs: Record<string, string>, start: number, hides: boolean): void {
    if (hides) this.hidingDepth++;
    if (HIDDEN.has(name)) this.neverShownDepth++;
    if (name === 'img' && this.neverShownDepth === 0 && NON_SPACE.test(attribs.alt ?? '')) {
      this.hiddenTextAt.push(start);
    }
    let kind: MarkedRegion['kind'] | undefined;
    if (this.quotedToEnd === undefined && this.insideMarked === 0) {
      const id = (attribs.id ?? '').toLowerCase();
      const classes = (attribs.class ?? '').toLowerCase().split(/\s+/);
      if (QUOTE_TO_END_IDS.includes(id)) this.quotedToEnd = start;
      else if (isCitation(name, attribs) || QUOTE_CLASSES.some((c) => classes.includes(c))) kind = 'quoted';
      else if (SIGNATURE_CLASSES.some((c) => classes.includes(c)) || SIGNATURE_IDS.includes(id)) kind = 'signature';
      else if (attribs['data-smartmail'] === 'gmail_signature') kind = 'signature';
    }
    const region = kind && { kind, region: { start, end: this.html.length } };
    if (region) this.insideMarked++;
    this.stack.push(region);
    if (this.stack.length > MAX_HTML_DEPTH && !this.stopped) {
      // Too deep to follow (htmlToText stops here, see MAX_HTML_DEPTH): regions still open run to the end.
      this.stopped = true;
      for (const open of this.stack) if (open) this.regions.push(open);
    }
  }

  close(name: string, end: number, hid: boolean): void {
    if (hid) this.hidingDepth = Math.max(0, this.hidingDepth - 1);
    if (HIDDEN.has(name)) this.neverShownDepth = Math.max(0, this.neverShownDepth - 1);
    if (this.stopped) return;
    const region = this.stack.pop();
    if (region) {
      region.region.end = end;
      this.regions.push(region);
      this.insideMarked--;
    }
  }

  text(text: string, start: number, styledHidden: boolean): void {
    if (this.neverShownDepth > 0 || !(this.hidingDepth > 0 || styledHidden) || !NON_SPACE.test(text)) return;
    this.hiddenTextAt.push(start);
  }

  end(): void {
    if (this.stopped) return;
    // Unclosed marked elements run to the end of the document.
    for (const region of this.stack) if (region) this.regions.push(region);
  }

  /** Once the parse is over: Outlook's reply marker makes everything after it quoted. */
  finish(): { regions: MarkedRegion[]; hiddenTextAt: number[] } {
    if (this.quotedToEnd !== undefined) {
      this.regions.push({ kind: 'quoted', region: { start: this.quotedToEnd, end: this.html.length } });
    }
    return { regions: this.regions, hiddenTextAt: this.hiddenTextAt };
  }
}

const NON_SPACE = /[^ \t\n\r\f]/;

/**
 * A blockquote a client wrote for a reply (Apple Mail and Thunderbird mark it type="cite", Gmail by class).
 * A bare <blockquote> is what an editor's "indent" button makes in the sender's own text, so it stays screened.
 */
function isCitation(name: string, attribs: Record<string, string>): boolean {
  if (name !== 'blockquote') return false;
  return (attribs.type ?? '').toLowerCase() === 'cite' || /quote/i.test(attribs.class ?? '');
}

/** Source offset where a signature starts within an authored HTML region, found in its rendered text. */
function htmlSignatureStart(rendered: MappedText, region: TextRegion): number | undefined {
  const { text, from } = renderedText(rendered, region);
  const start = findSignatureStart(text);
  return start === undefined ? undefined : rendered.starts[from + start];
}

/** The rendered text whose source lies in `region`, and where it starts. */
function renderedText(rendered: MappedText, region: TextRegion): { text: string; from: number } {
  const { from, to } = renderedRange(rendered, region);
  return { text: rendered.text.slice(from, to), from };
}

function sourceSpan(rendered: MappedText, region: TextRegion): TextRegion {
  const span = toOriginalSpan(rendered, region.start, region.end);
  return region.end >= rendered.text.length ? { start: span.start, end: Number.MAX_SAFE_INTEGER } : span;
}

// ---- regions ----

function toParts(regions: { kind: PartKind; region: TextRegion }[], source: SourceKind, text: string): MessagePart[] {
  const parts: MessagePart[] = [];
  regions.sort((a, b) => a.region.start - b.region.start);
  for (const { kind, region } of regions) {
    pushTrimmed(parts, kind, source, text, region.start, Math.min(region.end, text.length));
  }
  return parts;
}

function pushTrimmed(
  parts: MessagePart[],
  kind: PartKind,
  source: SourceKind,
  text: string,
  start: number,
  end: number,
): void {
  let from = start;
  let to = end;
  while (from < to && isSpace(text.charCodeAt(from))) from++;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
  if (to > from) parts.push({ kind, source, offset: from, text: text.slice(from, to) });
}

function isBlank(text: string, region: TextRegion): boolean {
  for (let i = region.start; i < region.end; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** Sorted, overlapping or touching regions joined. */
function mergeRegions(regions: TextRegion[]): TextRegion[] {
  const sorted = [...regions].sort((a, b) => a.start - b.start);
  const merged: TextRegion[] = [];
  for (const region of sorted) {
    const last = merged[merged.length - 1];
    if (last && region.start <= last.end) last.end = Math.max(last.end, region.end);
    else merged.push({ ...region });
  }
  return merged;
}

function contains(outer: TextRegion, inner: TextRegion): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** The stretches of [0, length) not covered by the sorted, disjoint `covered` regions. */
function complement(covered: TextRegion[], length: number): TextRegion[] {
  const gaps: TextRegion[] = [];
  let at = 0;
  for (const region of covered) {
    if (region.start > at) gaps.push({ start: at, end: Math.min(region.start, length) });
    at = Math.max(at, region.end);
  }
  if (at < length) gaps.push({ start: at, end: length });
  return gaps;
}
