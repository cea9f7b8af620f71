// The held message as its recipient would see it, with every finding marked in place: the plain-text version
// (body, signature, quoted reply) or the formatted (HTML) version, sanitised.
import { randomBytes } from 'node:crypto';
import type { Finding, MessagePart, PartKind, Verdict } from '../../classifier/types.js';
import { html, trusted, type SafeHtml } from './html.js';
import { markHtmlSource, markPlainText, type FindingSpan } from './mark-findings.js';
import { sanitiseMessageHtml } from './sanitise-message.js';

export type BodyView = 'text' | 'html';

const TEXT_KINDS: readonly PartKind[] = ['body', 'signature', 'quoted'];

export function spansFor(findings: readonly Finding[], partIndex: number): FindingSpan[] {
  const spans: FindingSpan[] = [];
  findings.forEach((f, index) => {
    if (f.partIndex === partIndex) spans.push({ index, start: f.start, end: f.end, severity: f.severity });
  });
  return spans;
}

interface IndexedPart {
  part: MessagePart;
  index: number;
}

function partsOf(verdict: Verdict, kinds: readonly PartKind[]): IndexedPart[] {
  return verdict.parts
    .map((part, index) => ({ part, index }))
    .filter(({ part }) => kinds.includes(part.kind))
    .sort((a, b) => a.part.offset - b.part.offset);
}

export function availableViews(verdict: Verdict): BodyView[] {
  const views: BodyView[] = [];
  if (partsOf(verdict, ['html']).length > 0) views.push('html');
  if (partsOf(verdict, TEXT_KINDS).length > 0) views.push('text');
  return views;
}

/** The formatted version when there is one and it carries at least as many findings as the plain one. */
export function defaultView(verdict: Verdict): BodyView | undefined {
  const views = availableViews(verdict);
  if (views.length < 2) return views[0];
  const count = (kinds: readonly PartKind[]) =>
    verdict.findings.filter((f) => kinds.includes(verdict.parts[f.partIndex]?.kind ?? 'subject')).length;
  return count(['html']) >= count(['body', 'signature']) ? 'html' : 'text';
}

/** Which view shows a finding in the body (undefined: it is in the subject or an attachment name, shown in both). */
export function viewOfFinding(verdict: Verdict, finding: Finding): BodyView | undefined {
  const kind = verdict.parts[finding.partIndex]?.kind;
  if (kind === 'html') return 'html';
  if (kind !== undefined && TEXT_KINDS.includes(kind)) return 'text';
  return undefined;
}

export function newNonce(): string {
  return randomBytes(9).toString('base64url');
}

function plainTextBody(verdict: Verdict, nonce: string): SafeHtml {
  return html`${partsOf(verdict, TEXT_KINDS).map(({ part, index }) => {
    const marked = trusted(markPlainText(part.text, spansFor(verdict.findings, index), nonce));
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

function htmlBody(verdict: Verdict, nonce: string): SafeHtml {
  return html`${partsOf(verdict, ['html']).map(({ part, index }) => {
    const marked = markHtmlSource(part.text, spansFor(verdict.findings, index), nonce);
    return html`<div class="html-body">${trusted(sanitiseMessageHtml(marked, nonce))}</div>`;
  })}`;
}

export function renderBody(verdict: Verdict, view: BodyView, nonce: string): SafeHtml {
  return view === 'html' ? htmlBody(verdict, nonce) : plainTextBody(verdict, nonce);
}

/** The subject line or attachment name parts of a kind, with their marks, keyed by part text. */
export function markedParts(
  verdict: Verdict,
  kind: 'subject' | 'attachment-name',
  nonce: string,
): Map<string, SafeHtml> {
  const marked = new Map<string, SafeHtml>();
  for (const { part, index } of partsOf(verdict, [kind])) {
    const spans = spansFor(verdict.findings, index);
    if (spans.length > 0 || !marked.has(part.text))
      marked.set(part.text, trusted(markPlainText(part.text, spans, nonce)));
  }
  return marked;
}
