// The text of an HTML body that its reader cannot see (hidden-style.ts), and pictures' descriptions (alt text, shown
// in a picture's place when pictures are not loaded), mapped back to the HTML source. Hidden text is left out of the
// rendered text so it cannot split a visible phrase, and screened here on its own: it can still carry contact details
// (a screen reader, a copy and paste or a plain-text view shows it).

import { Parser } from 'htmlparser2';
import { HiddenElements } from './hidden-style.js';
import { HIDDEN, MAX_HTML_DEPTH } from './html-text.js';
import { MappedTextBuilder, type MappedText } from './mapped-text.js';

const NON_SPACE_RUN = /[^ \t\n\r\f]+/g;
const NON_SPACE = /[^ \t\n\r\f]/;
/** Elements that flow inside a line: any other tag puts the words either side of it on separate lines. */
const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'del', 'em', 'font', 'i', 'ins', 'kbd', 'label', 'mark', 'q',
  's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var',
]); // prettier-ignore

/**
 * Each stretch of hidden text, its words separated by single spaces; stretches apart in the source are a paragraph
 * apart, so no phrase is read across visible text. Script, style and the like are not text at all, so not here.
 */
export function hiddenText(html: string): MappedText {
  const out = new MappedTextBuilder(0);
  const styled = new HiddenElements();
  let hidingDepth = 0;
  let neverShownDepth = 0;
  let depth = 0;
  /** Source offset of whatever came between this hidden text and the last: a space, or visible text (a break). */
  let gap: { at: number; kind: 'none' | 'space' | 'line' | 'break' } = { at: 0, kind: 'none' };

  const partWords = (name: string): void => {
    if ((gap.kind === 'none' || gap.kind === 'space') && !INLINE.has(name))
      gap = { at: parser.startIndex, kind: 'line' };
  };

  const emitWords = (text: string, start: number, end: number): void => {
    const aligned = text.length === end - start;
    for (const word of text.matchAll(NON_SPACE_RUN)) {
      const at = aligned ? start + word.index : start;
      if (out.size > 0 && gap.kind === 'break') out.emit('\n\n', gap.at, gap.at + 1);
      else if (out.size > 0 && gap.kind === 'line') out.emit('\n', gap.at, gap.at + 1);
      else if (out.size > 0 && (gap.kind === 'space' || word.index > 0)) out.emit(' ', gap.at, gap.at + 1);
      if (aligned) out.emitAligned(word[0], at);
      else out.emit(word[0], start, end);
      const after = word.index + word[0].length;
      gap = { at: aligned ? start + after : start, kind: after < text.length ? 'space' : 'none' };
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        partWords(name);
        if (name === 'img' && neverShownDepth === 0 && attribs.alt !== undefined && NON_SPACE.test(attribs.alt)) {
          // Shown in the picture's place when pictures are not loaded (Outlook's default for many senders).
          const tag = { start: parser.startIndex, end: Math.min(html.length, parser.endIndex + 1) };
          const span = altSpan(html, tag, attribs.alt);
          gap = { at: tag.start, kind: 'break' };
          emitWords(attribs.alt, span.start, span.end);
          gap = { at: tag.end - 1, kind: 'break' };
        }
        // Past the depth cap htmlToText reads the rest as visible text, so it is screened there.
        if (++depth > MAX_HTML_DEPTH) parser.pause();
        if (styled.open(name, attribs)) hidingDepth++;
        if (HIDDEN.has(name)) neverShownDepth++;
      },
      onclosetag(name) {
        partWords(name);
        depth--;
        if (styled.close()) hidingDepth = Math.max(0, hidingDepth - 1);
        if (HIDDEN.has(name)) neverShownDepth = Math.max(0, neverShownDepth - 1);
      },
      ontext(text) {
        styled.text(text);
        const start = parser.startIndex;
        const end = Math.min(html.length, parser.endIndex + 1);
        const hidden = neverShownDepth === 0 && (hidingDepth > 0 || styled.textHidden);
        if (!hidden) {
          if (NON_SPACE.test(text)) gap = { at: start, kind: 'break' };
          return;
        }
        emitWords(text, start, end);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return out.build();
}

const ALT_ATTRIBUTE = /\salt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** Where the alt text sits in its tag's source, so its words map back to it exactly (else: the whole tag). */
function altSpan(html: string, tag: { start: number; end: number }, alt: string): { start: number; end: number } {
  const source = html.slice(tag.start, tag.end);
  const match = ALT_ATTRIBUTE.exec(source);
  const written = match && (match[1] ?? match[2] ?? match[3]);
  if (!match || written !== alt) return tag;
  const at = tag.start + match.index + match[0].length - written.length - (match[3] === undefined ? 1 : 0);
  return { start: at, end: at + written.length };
}
