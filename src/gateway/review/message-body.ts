// The held message as its recipient would see it, with every finding marked in place: the formatted (HTML) version,
// sanitised (its body and signature), or the plain-text version (body, signature, quoted reply). The classifier
// reports a passage that is in both versions once, usually against the plain text; such findings are found again in
// the HTML so they show there too.
import { randomBytes } from 'node:crypto';
import { hiddenText } from '../../classifier/hidden-text.js';
import type { MappedText } from '../../classifier/mapped-text.js';
import { renderedSlice } from '../../classifier/rendered-slice.js';
import type { Finding, MessagePart, PartKind, SourceKind, Verdict } from '../../classifier/types.js';
import { html, trusted, type SafeHtml } from './html.js';
import { locateInHtml, markHtmlSource, markPlainText, visibleText, type FindingSpan } from './mark-findings.js';
import { sanitiseMessageHtml } from './sanitise-message.js';

export type BodyView = 'text' | 'html';

/** Parts of the plain-text version shown in the plain view. */
const TEXT_KINDS: readonly PartKind[] = ['body', 'signature', 'quoted'];
/** Parts of the HTML version shown, joined, in the formatted view (its quoted earlier message is left out). */
const HTML_KINDS: readonly PartKind[] = ['html', 'signature'];

interface IndexedPart {
  part: MessagePart;
  index: number;
}

/** Where each finding can be shown: spans per part for each view, and which findings each view shows. */
export interface FindingPlaces {
  spans: Map<number, FindingSpan[]>;
  htmlSpans: Map<number, FindingSpan[]>;
  inHtml: Set<number>;
  inText: Set<number>;
  views: BodyView[];
}

function partsOf(verdict: Verdict, kinds: readonly PartKind[], source?: SourceKind): IndexedPart[] {
  return verdict.parts
    .map((part, index) => ({ part, index }))
    .filter(({ part }) => kinds.includes(part.kind) && (source === undefined || part.source === source))
    .sort((a, b) => a.part.offset - b.part.offset);
}

function isHtmlViewPart(part: MessagePart | undefined): boolean {
  return part !== undefined && part.source === 'html' && HTML_KINDS.includes(part.kind);
}

function push(map: Map<number, FindingSpan[]>, key: number, span: FindingSpan): void {
  const list = map.get(key);
  if (list) list.push(span);
  else map.set(key, [span]);
}

function occurrenceBefore(text: string, passage: string, before: number): number {
  let count = 0;
  for (let at = text.indexOf(passage); at >= 0 && at < before; at = text.indexOf(passage, at + 1)) count++;
  return count;
}

export function placeFindings(verdict: Verdict): FindingPlaces {
  const spans = new Map<number, FindingSpan[]>();
  const htmlSpans = new Map<number, FindingSpan[]>();
  const inHtml = new Set<number>();
  const inText = new Set<number>();
  const htmlParts = partsOf(verdict, HTML_KINDS, 'html');
  const visible = htmlParts.map(({ part, index }) => ({ index, text: visibleText(part.text) }));
  verdict.findings.forEach((finding: Finding, index) => {
    const span = { index, start: finding.start, end: finding.end, severity: finding.severity };
    push(spans, finding.partIndex, span);
    const part = verdict.parts[finding.partIndex];
    if (isHtmlViewPart(part)) {
      inHtml.add(index);
      push(htmlSpans, finding.partIndex, span);
      return;
    }
    if (part === undefined || part.source !== 'text' || !TEXT_KINDS.includes(part.kind)) return;
    inText.add(index);
    if (part.kind === 'quoted') return;
    const occurrence = occurrenceBefore(part.text, finding.text, finding.start);
    for (const v of visible) {
      const place = locateInHtml(v.text, finding.text, occurrence);
      if (!place) continue;
      inHtml.add(index);
      push(htmlSpans, v.index, { ...span, ...place });
      break;
    }
  });
  const views: BodyView[] = [];
  if (htmlParts.length > 0) views.push('html');
  // Attached texts show under either view; a message with nothing else still needs one to show them in.
  const textParts = partsOf(verdict, TEXT_KINDS, 'text');
  if (textParts.length > 0 || (views.length === 0 && partsOf(verdict, ['attachment']).length > 0)) {
    views.push('text');
  }
  return { spans, htmlSpans, inHtml, inText, views };
}

/** The formatted version when there is one and it shows every finding the plain one does; else the plain one. */
export function defaultView(places: FindingPlaces): BodyView | undefined {
  if (places.views.length < 2) return places.views[0];
  return [...places.inText].every((i) => places.inHtml.has(i)) ? 'html' : 'text';
}

/** Which view shows a body finding (undefined: it is in the subject or an attachment name, shown in both). */
export function viewsOfFinding(places: FindingPlaces, index: number): BodyView[] {
  const views: BodyView[] = [];
  if (places.inHtml.has(index)) views.push('html');
  if (places.inText.has(index)) views.push('text');
  return views;
}

export function newNonce(): string {
  return randomBytes(9).toString('base64url');
}

function plainTextBody(verdict: Verdict, places: FindingPlaces): SafeHtml {
  return html`${partsOf(verdict, TEXT_KINDS, 'text').map(({ part, index }) => {
    const marked = trusted(markPlainText(part.text, places.spans.get(index) ?? []));
    if (part.kind === 'quoted') {
      return html`<p class="quoted-label">
          Earlier message quoted in the reply (not checked: these are not the sender's words)
        </p>
        <blockquote class="plain quoted">${marked}</blockquote>`;
    }
    if (part.kind === 'signature') return html`<div class="plain signature">${marked}</div>`;
    return html`<div class="plain">${marked}</div>`;
  })}`;
}

/**
 * The HTML version's body and signature joined in source order and sanitised as one document: a signature cut from
 * the middle of an element (a <pre>, a table) shows inside it, as the recipient sees it.
 */
function htmlBody(verdict: Verdict, places: FindingPlaces, nonce: string): SafeHtml {
  const parts = partsOf(verdict, HTML_KINDS, 'html');
  if (parts.length === 0) return html``;
  let source = '';
  const spans: FindingSpan[] = [];
  for (const { part, index } of parts) {
    const at = source.length;
    for (const span of places.htmlSpans.get(index) ?? [])
      spans.push({ ...span, start: span.start + at, end: span.end + at });
    source += part.text;
  }
  const marked = markHtmlSource(source, spans, nonce);
  return html`<div class="html-body">${trusted(sanitiseMessageHtml(marked, nonce))}</div>`;
}

/** The text of attachments, forwarded messages and calendar invitations, as the classifier read it. */
function attachedTexts(verdict: Verdict, places: FindingPlaces): SafeHtml {
  return html`${partsOf(verdict, ['attachment']).map(({ part, index }) => {
    const marked = trusted(markPlainText(part.text, places.spans.get(index) ?? []));
    return html`<p class="quoted-label">Opened from the message: ${part.name ?? 'an attachment'}</p>
      <div class="plain attached">${marked}</div>`;
  })}`;
}

/**
 * Text the recipient cannot see (display:none, zero size, white on white) or pictures' descriptions, where they hold a
 * finding, as the classifier read them: the formatted view does not show them as text.
 */
function hiddenTexts(verdict: Verdict, places: FindingPlaces): SafeHtml {
  const withFindings = partsOf(verdict, ['hidden']).filter(({ index }) => (places.spans.get(index) ?? []).length > 0);
  if (withFindings.length === 0) return html``;
  const whole = hiddenText(htmlSourceOf(verdict));
  return html`${withFindings.map(({ part, index }) => {
    const spans = places.spans.get(index) ?? [];
    const rendered = renderedSlice(whole, { start: part.offset, end: part.offset + part.text.length }).mapped();
    const marked = trusted(
      markPlainText(
        rendered.text,
        spans.map((span) => renderedSpan(rendered, span)),
      ),
    );
    return html`<p class="quoted-label">
        Hidden in the message, or describing a picture (the recipient may not see this text, but it was checked)
      </p>
      <div class="plain hidden-text">${marked}</div>`;
  })}`;
}

/**
 * The HTML body rebuilt from the parts cut from it, each at its own offset, so hidden text is rendered as the classifier
 * read it: with the style sheet and the hiding elements of the whole body. What lay between parts (white space, tags
 * that show nothing) becomes spaces.
 */
function htmlSourceOf(verdict: Verdict): string {
  let source = '';
  for (const { part } of partsOf(verdict, ['html', 'signature', 'quoted'], 'html')) {
    if (part.offset < source.length) continue;
    source += ' '.repeat(part.offset - source.length) + part.text;
  }
  return source;
}

/** A span of source offsets as offsets in text rendered from that source (rendering keeps source order). */
function renderedSpan(rendered: MappedText, span: FindingSpan): FindingSpan {
  let start = 0;
  while (start < rendered.text.length && rendered.starts[start]! < span.start) start++;
  let end = start;
  while (end < rendered.text.length && rendered.ends[end]! <= span.end) end++;
  return { ...span, start, end };
}

export function renderBody(verdict: Verdict, places: FindingPlaces, view: BodyView, nonce: string): SafeHtml {
  const body = view === 'html' ? htmlBody(verdict, places, nonce) : plainTextBody(verdict, places);
  return html`${body}${attachedTexts(verdict, places)}${hiddenTexts(verdict, places)}`;
}

/** The subject line or attachment name parts of a kind, with their marks, keyed by part text. */
export function markedParts(
  verdict: Verdict,
  places: FindingPlaces,
  kind: 'subject' | 'attachment-name',
): Map<string, SafeHtml> {
  const marked = new Map<string, SafeHtml>();
  for (const { part, index } of partsOf(verdict, [kind])) {
    const spans = places.spans.get(index) ?? [];
    if (spans.length > 0 || !marked.has(part.text)) marked.set(part.text, trusted(markPlainText(part.text, spans)));
  }
  return marked;
}
