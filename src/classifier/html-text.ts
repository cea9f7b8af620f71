// Renders an HTML body to the text a reader sees, keeping a map from each rendered char back to the HTML
// source, so a finding in rendered text can be shown in the message as sent.

import { Parser } from 'htmlparser2';
import { HiddenElements } from './hidden-style.js';
import { MappedTextBuilder, type MappedText } from './mapped-text.js';
import { matchesOf } from './regex-matches.js';

/** Elements whose content is never shown. (`head` is not here: an unclosed <head> must not hide a whole body.) */
export const HIDDEN = new Set(['script', 'style', 'title', 'template', 'xml']);

/** Elements that start on a new line. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'body', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'hr', 'html', 'li', 'main', 'menu', 'nav', 'ol',
  'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul', 'caption', 'listing', 'xmp',
  'plaintext',
]); // prettier-ignore

/** Elements set off by a blank line, as text renderers show paragraphs. */
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote']);

/** Table cells sit side by side: a space between them, not a line. */
const CELL = new Set(['td', 'th']);

/** Elements whose text browsers show as written, line breaks and spaces kept (the HTML spec's UA style sheet). */
const PREFORMATTED = new Set(['pre', 'listing', 'textarea', 'xmp', 'plaintext']);
/** Of those, the ones whose newline straight after the start tag is not shown (HTML tree construction drops it). */
const DROPS_LEADING_NEWLINE = new Set(['pre', 'listing', 'textarea']);
/** An inline style that keeps line breaks as written (white-space: pre, pre-wrap, pre-line, break-spaces). */
const PREFORMATTED_STYLE =
  /(?:^|;)\s*(?:white-space\s*:\s*(?:pre|pre-wrap|pre-line|break-spaces)|white-space-collapse\s*:\s*(?:preserve|preserve-breaks|break-spaces))\s*(?:!important\s*)?(?:;|$)/i;

const NON_SPACE_RUN = /[^ \t\n\r\f]+/g;
const NON_SPACE = /[^ \t\n\r\f]/;
/** Inside <pre>: a line break (CRLF and a lone CR count as one, as in the HTML input stream), or a run of a line. */
const PRE_PIECE = /\r\n?|\n|[^\r\n]+/g;
/**
 * Elements open at once. htmlparser2's open-element stack makes each open tag cost its depth, so 300,000 unclosed
 * <b> tags took 26 s; browsers stop nesting at 512 too (Blink's HTML parser tree-depth limit).
 */
export const MAX_HTML_DEPTH = 512;
const TAG_OR_TEXT = /<[^>]*>?|[^<]+/g;

/** The newline a browser drops straight after <pre> (CRLF and a lone CR are one newline in HTML). */
const LEADING_NEWLINE = /^(?:\r\n?|\n)/;
/** Whitespace a browser collapses that the fast path cannot pass through as it stands. */
const HARD_WHITESPACE = /[\t\n\r\f]| {2}/;
/** Link targets that carry contact details a reader can follow even when the link text hides them. */
const CONTACT_LINK = /^(?:https?:\/\/|mailto:|tel:|sms:)/i;

interface Span {
  start: number;
  end: number;
}

/**
 * Told of each element and text as htmlToText meets them, so a reader of the HTML's structure (extract-parts.ts
 * marks quoted, signature and hidden text by it) shares the one parse: the tokenizer was ~12 % of classify time
 * when each ran its own. Attribute values and text come with entities decoded; offsets are into the HTML source.
 */
export interface HtmlObserver {
  /** An element opens at `start`; `hides`: its style or `hidden` attribute hides it and all inside it. */
  open(name: string, attribs: Record<string, string>, start: number, hides: boolean): void;
  /** The innermost open element closes, its source ending before `end`; `hid`: it was a hiding one. */
  close(name: string, end: number, hid: boolean): void;
  /** Text at `start`; `styledHidden`: where it stands it is too small or faint to read (hidden-style.ts). */
  text(text: string, start: number, styledHidden: boolean): void;
  /** The whole body was read (not called when the parse stopped past MAX_HTML_DEPTH). */
  end(): void;
}

/**
 * The rendered text of `html`: block elements and <br> as line breaks, whitespace collapsed (kept inside <pre>,
 * <textarea> and <listing> and where an inline style says white-space: pre, pre-wrap or pre-line, as browsers keep
 * it: a "--" signature delimiter stays on a line of its own), entities decoded.
 * Text styled out of sight (hidden-style.ts) is left out, so filler the reader cannot see does not split a phrase
 * they read whole; it is screened on its own as a 'hidden' part (hidden-text.ts).
 */
export function htmlToText(html: string, observer?: HtmlObserver): MappedText {
  const out = new MappedTextBuilder(html.length);
  const styled = new HiddenElements();
  let hiddenDepth = 0;
  let pendingSpace = -1; // source offset of the whitespace to render as one space before the next word
  let pendingBreaks = 0;
  let breakSpan: Span = { start: 0, end: 0 };
  let preDepth = 0;
  /** For each open element, whether it keeps its text as written (PREFORMATTED, or by its style). */
  const preformatted: boolean[] = [];
  // A newline straight after a <pre> start tag is not shown (HTML tree construction drops it).
  let justOpenedPre = false;
  let link: { href: string; span: Span; text: string } | undefined;

  const tagSpan = (): Span => ({ start: parser.startIndex, end: Math.min(html.length, parser.endIndex + 1) });

  const lineBreak = (count: number, forced: boolean): void => {
    if (out.size === 0 || hiddenDepth > 0) return;
    if (pendingBreaks === 0) breakSpan = tagSpan();
    // A <br> adds a line up to a blank one, and never takes away lines a <pre> asked for.
    pendingBreaks = forced
      ? Math.max(pendingBreaks, Math.min(2, pendingBreaks + count))
      : Math.max(pendingBreaks, count);
    pendingSpace = -1;
  };

  // Each line break inside <pre> is shown, however many; a block ending after one adds no further line.
  const preLineBreak = (start: number, end: number): void => {
    if (out.size === 0) return;
    if (pendingBreaks === 0) breakSpan = { start, end };
    pendingBreaks++;
    pendingSpace = -1;
  };

  const beforeWord = (): void => {
    if (pendingBreaks > 0) {
      out.emit('\n'.repeat(pendingBreaks), breakSpan.start, breakSpan.end);
      pendingBreaks = 0;
    } else if (pendingSpace >= 0 && out.size > 0) {
      out.emit(' ', pendingSpace, pendingSpace + 1);
    }
    pendingSpace = -1;
  };

  const addText = (text: string, start: number, end: number): void => {
    // A decoded entity ("&amp;") is shorter than its source; each of its chars maps to the whole entity.
    const aligned = text.length === end - start;
    if (link !== undefined) link.text += text;
    if (aligned && !HARD_WHITESPACE.test(text)) {
      // Fast path, most text nodes: words separated by single spaces need no collapsing inside.
      const lead = text.charCodeAt(0) === 32 ? 1 : 0;
      const trail = text.length > lead && text.charCodeAt(text.length - 1) === 32 ? 1 : 0;
      if (lead > 0 && out.size > 0 && pendingBreaks === 0 && pendingSpace < 0) pendingSpace = start;
      if (text.length - lead - trail > 0) {
        beforeWord();
        out.emitAligned(text.slice(lead, text.length - trail), start + lead);
        if (trail > 0) pendingSpace = end - 1;
      }
      return;
    }
    let previousEnd = 0;
    for (const word of matchesOf(NON_SPACE_RUN, text)) {
      if (word.index > previousEnd && out.size > 0 && pendingBreaks === 0) {
        pendingSpace = aligned ? start + previousEnd : start;
      }
      beforeWord();
      if (aligned) out.emitAligned(word[0], start + word.index);
      else out.emit(word[0], start, end);
      previousEnd = word.index + word[0].length;
    }
    if (previousEnd < text.length && out.size > 0 && pendingBreaks === 0 && pendingSpace < 0) {
      pendingSpace = aligned ? start + previousEnd : start;
    }
  };

  const addPreText = (text: string, start: number, end: number): void => {
    const aligned = text.length === end - start;
    if (link !== undefined) link.text += text;
    for (const piece of matchesOf(PRE_PIECE, text)) {
      const at = aligned ? start + piece.index : start;
      if (piece[0].startsWith('\r') || piece[0] === '\n') {
        preLineBreak(at, aligned ? at + piece[0].length : end);
        continue;
      }
      beforeWord();
      if (aligned) out.emitAligned(piece[0], at);
      else out.emit(piece[0], start, end);
    }
  };

  let depth = 0;
  let stoppedAt = -1;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        justOpenedPre = DROPS_LEADING_NEWLINE.has(name);
        const keepsText = PREFORMATTED.has(name) || PREFORMATTED_STYLE.test(attribs.style ?? '');
        preformatted.push(keepsText);
        if (keepsText) preDepth++;
        if (++depth > MAX_HTML_DEPTH && stoppedAt < 0) {
          stoppedAt = parser.endIndex + 1;
          parser.pause();
        }
        const hides = styled.open(name, attribs);
        observer?.open(name, attribs, parser.startIndex, hides);
        if (hides || HIDDEN.has(name)) hiddenDepth++;
        else if (name === 'br') lineBreak(1, true);
        else if (PARAGRAPH.has(name)) lineBreak(2, false);
        else if (BLOCK.has(name)) lineBreak(1, false);
        else if (CELL.has(name) && out.size > 0 && pendingBreaks === 0) pendingSpace = parser.startIndex;
        else if (name === 'a' && attribs.href !== undefined && CONTACT_LINK.test(attribs.href.trim())) {
          link = { href: attribs.href.trim(), span: hrefSpan(html, tagSpan(), attribs.href.trim()), text: '' };
        }
      },
      onclosetag(name) {
        justOpenedPre = false;
        if (preformatted.pop() === true) preDepth = Math.max(0, preDepth - 1);
        depth--;
        const hid = styled.close();
        observer?.close(name, Math.min(html.length, parser.endIndex + 1), hid);
        if (hid || HIDDEN.has(name)) hiddenDepth = Math.max(0, hiddenDepth - 1);
        else if (PARAGRAPH.has(name)) lineBreak(2, false);
        else if (BLOCK.has(name)) lineBreak(1, false);
        else if (name === 'a' && link !== undefined) {
          // "click here" hiding instagram.com/someone: the reader can follow it, so it is screened like text.
          if (hiddenDepth === 0 && !linkTextShowsTarget(link.text, link.href)) {
            if (out.size > 0) pendingSpace = link.span.start;
            beforeWord();
            if (link.span.end - link.span.start === link.href.length) out.emitAligned(link.href, link.span.start);
            else out.emit(link.href, link.span.start, link.span.end);
            pendingSpace = link.span.end - 1;
          }
          link = undefined;
        }
      },
      ontext(text) {
        styled.text(text);
        observer?.text(text, parser.startIndex, styled.textHidden);
        const end = Math.min(html.length, parser.endIndex + 1);
        let start = parser.startIndex;
        let shown = text;
        if (justOpenedPre) {
          justOpenedPre = false;
          const dropped = LEADING_NEWLINE.exec(text)?.[0].length ?? 0;
          shown = text.slice(dropped);
          if (shown.length === 0) return;
          if (text.length === end - start) start += dropped;
        }
        // Space too small or faint to see still parts words (email layouts set font-size:0 between columns).
        if (hiddenDepth > 0 || (styled.textHidden && NON_SPACE.test(shown))) return;
        if (preDepth > 0 && stoppedAt < 0) addPreText(shown, start, end);
        else addText(shown, start, end);
      },
      onend() {
        observer?.end();
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  // Past the depth cap the rest is read with its tags stripped: all its words are still screened.
  if (stoppedAt >= 0) {
    for (const piece of html.slice(stoppedAt).matchAll(TAG_OR_TEXT)) {
      if (piece[0].startsWith('<')) continue;
      addText(piece[0], stoppedAt + piece.index, stoppedAt + piece.index + piece[0].length);
    }
  }
  return out.build();
}

/** Where the href value sits in its tag's source, so the rendered link maps back to it (else: the whole tag). */
function hrefSpan(html: string, tag: Span, href: string): Span {
  const at = html.slice(tag.start, tag.end).indexOf(href);
  return at < 0 ? tag : { start: tag.start + at, end: tag.start + at + href.length };
}

function linkTextShowsTarget(text: string, href: string): boolean {
  const target = href
    .replace(/^(?:https?:\/\/|mailto:|tel:|sms:)/i, '')
    .replace(/^www\./i, '')
    .replace(/\/$/, '')
    .toLowerCase();
  return text.toLowerCase().replace(/\s+/g, '').includes(target.replace(/\s+/g, ''));
}
