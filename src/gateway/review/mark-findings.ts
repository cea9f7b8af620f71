// Puts <mark> around every finding in a part's text, exactly at the finding's offsets.
// Text parts are escaped here; HTML parts get marks around text-node slices and are then sanitised (render-html.ts).
import { Parser } from 'htmlparser2';
import type { Severity } from '../../classifier/types.js';
import { escapeHtml } from './html.js';

/** A finding's place in one part, with its index in verdict.findings (used for the #finding-N anchors). */
export interface FindingSpan {
  index: number;
  start: number;
  end: number;
  severity: Severity;
}

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

/** Text nodes inside these never show, so marks there would be lost (and would point nowhere). */
const HIDDEN_ELEMENTS = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);

export function findingAnchor(index: number): string {
  return `finding-${index + 1}`;
}

interface Segment {
  start: number;
  end: number;
  covering: FindingSpan[];
  starting: FindingSpan[];
}

/** Cuts [from, to) at every finding boundary; each piece knows which findings cover it and which begin there. */
function segments(from: number, to: number, spans: FindingSpan[]): Segment[] {
  const cuts = new Set<number>([from, to]);
  for (const s of spans) {
    if (s.start > from && s.start < to) cuts.add(s.start);
    if (s.end > from && s.end < to) cuts.add(s.end);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i] as number;
    const end = sorted[i + 1] as number;
    out.push({
      start,
      end,
      covering: spans.filter((s) => s.start <= start && s.end >= end && s.end > s.start),
      starting: spans.filter((s) => Math.max(s.start, from) === start),
    });
  }
  return out;
}

function openMark(covering: FindingSpan[], anchorIndex: number | undefined, nonce: string): string {
  const worst = covering.reduce((a, b) => (SEVERITY_RANK[b.severity] > SEVERITY_RANK[a.severity] ? b : a));
  const id = anchorIndex === undefined ? '' : ` id="${findingAnchor(anchorIndex)}"`;
  const which = covering.map((c) => c.index + 1).join(' ');
  return `<mark class="finding sev-${worst.severity}"${id} data-findings="${which}"${nonceAttribute(nonce)}>`;
}

function anchor(index: number, nonce: string): string {
  return `<span class="anchor" id="${findingAnchor(index)}"${nonceAttribute(nonce)}></span>`;
}

/** Marks in HTML source carry the render's nonce so the sanitiser can tell them from look-alikes in the message. */
function nonceAttribute(nonce: string): string {
  return nonce === '' ? '' : ` data-ch="${nonce}"`;
}

/**
 * Renders `slice` of the source with marks. `emit` turns a piece of source into output (escaping for text, as-is for
 * HTML source). Findings that begin here get their anchor id; `anchored` records them so an anchor is placed once.
 */
function markRange(
  source: string,
  from: number,
  to: number,
  spans: FindingSpan[],
  anchored: Set<number>,
  nonce: string,
  emit: (piece: string) => string,
): string {
  let out = '';
  for (const seg of segments(from, to, spans)) {
    const fresh = seg.starting.filter((s) => !anchored.has(s.index));
    for (const s of fresh) anchored.add(s.index);
    const piece = emit(source.slice(seg.start, seg.end));
    if (seg.covering.length === 0) {
      out += fresh.map((s) => anchor(s.index, nonce)).join('') + piece;
      continue;
    }
    const [first, ...others] = fresh;
    out += others.map((s) => anchor(s.index, nonce)).join('');
    out += openMark(seg.covering, first?.index, nonce) + piece + '</mark>';
  }
  return out;
}

/**
 * Plain text with marks, escaped: ready to sit inside a white-space: pre-wrap block. Escaped text cannot forge a
 * mark, so these carry no nonce (it would only leak into the page).
 */
export function markPlainText(text: string, spans: FindingSpan[]): string {
  const clamped = spans.map((s) => ({ ...s, start: clamp(s.start, text), end: clamp(s.end, text) }));
  return markRange(text, 0, text.length, clamped, new Set(), '', escapeHtml);
}

function clamp(offset: number, text: string): number {
  return Math.min(Math.max(0, offset), text.length);
}

/** A stretch of visible text in the HTML source: adjacent text nodes and entities joined. */
interface TextRun {
  start: number;
  end: number;
  /** Entities such as &amp; inside the run: a mark never starts or ends inside one. */
  entities: { start: number; end: number }[];
}

function visibleTextRuns(source: string): TextRun[] {
  const runs: TextRun[] = [];
  let hiddenDepth = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (HIDDEN_ELEMENTS.has(name)) hiddenDepth++;
      },
      onclosetag(name, isImplied) {
        if (HIDDEN_ELEMENTS.has(name) && hiddenDepth > 0 && !isImplied) hiddenDepth--;
      },
      ontext(text) {
        if (hiddenDepth > 0) return;
        const start = parser.startIndex;
        const end = parser.endIndex + 1;
        const last = runs.at(-1);
        const run = last && last.end === start ? last : { start, end, entities: [] };
        if (run !== last) runs.push(run);
        run.end = end;
        if (end - start !== text.length) run.entities.push({ start, end });
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(source);
  parser.end();
  return runs;
}

function outsideEntities(offset: number, run: TextRun, edge: 'start' | 'end'): number {
  const inside = run.entities.find((e) => offset > e.start && offset < e.end);
  return inside ? (edge === 'start' ? inside.start : inside.end) : offset;
}

/** HTML source with marks around the text-node slices the findings cover. Not yet safe: sanitise the result. */
export function markHtmlSource(source: string, spans: FindingSpan[], nonce: string): string {
  const live = spans.filter((s) => s.end > s.start);
  if (live.length === 0) return source;
  let out = '';
  let copied = 0;
  const anchored = new Set<number>();
  for (const run of visibleTextRuns(source)) {
    const inRun = live
      .filter((s) => s.start < run.end && s.end > run.start)
      .map((s) => ({
        ...s,
        start: outsideEntities(Math.max(s.start, run.start), run, 'start'),
        end: outsideEntities(Math.min(s.end, run.end), run, 'end'),
      }));
    if (inRun.length === 0) continue;
    out += source.slice(copied, run.start);
    out += markRange(source, run.start, run.end, inRun, anchored, nonce, (piece) => piece);
    copied = run.end;
  }
  return out + source.slice(copied);
}

/** The text a reader sees in HTML source, each character mapped back to the source range it came from. */
export interface VisibleText {
  text: string;
  starts: number[];
  ends: number[];
}

export function visibleText(source: string): VisibleText {
  const out: VisibleText = { text: '', starts: [], ends: [] };
  let hiddenDepth = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (HIDDEN_ELEMENTS.has(name)) hiddenDepth++;
        // Block boundaries read as a break, so words either side of </p> are not run together.
        if (BREAKING_ELEMENTS.has(name)) addBreak(parser.startIndex);
      },
      onclosetag(name, isImplied) {
        if (HIDDEN_ELEMENTS.has(name) && hiddenDepth > 0 && !isImplied) hiddenDepth--;
        if (BREAKING_ELEMENTS.has(name)) addBreak(parser.startIndex);
      },
      ontext(text) {
        if (hiddenDepth > 0) return;
        const start = parser.startIndex;
        const end = parser.endIndex + 1;
        const entity = end - start !== text.length;
        for (let i = 0; i < text.length; i++) {
          out.text += text[i];
          out.starts.push(entity ? start : start + i);
          out.ends.push(entity ? end : start + i + 1);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  function addBreak(at: number): void {
    out.text += '\n';
    out.starts.push(at);
    out.ends.push(at);
  }
  parser.write(source);
  parser.end();
  return out;
}

const BREAKING_ELEMENTS = new Set([
  'p',
  'br',
  'div',
  'li',
  'tr',
  'td',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'hr',
]);

/** Text with every run of white space made one space, and where each kept character was. */
function collapseSpace(text: string): { text: string; at: number[] } {
  let out = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      if (out.endsWith(' ') || out === '') continue;
      out += ' ';
    } else out += ch;
    at.push(i);
  }
  return { text: out, at };
}

/**
 * Where a passage found in the plain-text version sits in the HTML source: its `occurrence`-th appearance in the
 * visible text (white space compared loosely, as the two versions wrap lines differently). Undefined when absent.
 */
export function locateInHtml(
  visible: VisibleText,
  passage: string,
  occurrence: number,
): { start: number; end: number } | undefined {
  const hay = collapseSpace(visible.text);
  const needle = collapseSpace(passage).text.trim();
  if (needle === '') return undefined;
  let found = -1;
  let from = 0;
  for (let n = 0; n <= occurrence; n++) {
    const next = hay.text.indexOf(needle, from);
    if (next < 0) break;
    found = next;
    from = next + 1;
  }
  if (found < 0) return undefined;
  const first = hay.at[found] as number;
  const last = hay.at[found + needle.length - 1] as number;
  const start = visible.starts[first] as number;
  const end = visible.ends[last] as number;
  return end > start ? { start, end } : undefined;
}
