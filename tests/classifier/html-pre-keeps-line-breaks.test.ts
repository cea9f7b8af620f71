// A <pre> shows its line breaks and spaces as written. Collapsing them put an HTML signature's "--" delimiter on one
// line with the name under it, so the signature was not cut from the HTML as it is from the plain text.
import { describe, expect, it } from 'vitest';
import { extractParts } from '../../src/classifier/extract-parts.js';
import { htmlToText } from '../../src/classifier/html-text.js';
import { classify } from '../../src/classifier/index.js';
import { toOriginalSpan } from '../../src/classifier/mapped-text.js';
import { compileYaml, rule } from './fixture-rules.js';

const SIGNATURE = '--\nMr D. Jones\nHead of Humanities\nMob: 07700 900123';
const TEXT = `Hi Sam,\n\nSee you on Friday.\n${SIGNATURE}`;
const HTML = `<html><body><p>Hi Sam,</p>\n<p>See you on Friday.</p><div class="sig"><pre>${SIGNATURE}</pre></div></body></html>`;

describe('htmlToText inside <pre>', () => {
  it('keeps line breaks and spaces and drops the newline straight after the start tag, as browsers do', () => {
    const html = '<p>Timetable</p><pre>\nMon   Maths\r\nTue\tArt\n\n  Wed &amp; Thu</pre>Done';
    expect(htmlToText(html).text).toBe('Timetable\n\nMon   Maths\nTue\tArt\n\n  Wed & Thu\nDone');
  });

  it('keeps line breaks in <textarea> and <listing> too, and where a style says white-space: pre-wrap or pre-line', () => {
    expect(htmlToText('<p>Reply</p><textarea>\nLove you\nx</textarea>').text).toBe('Reply\n\nLove you\nx');
    expect(htmlToText('<listing>\na\n  b</listing>').text).toBe('a\n  b');
    expect(htmlToText('<div style="font-family:Arial; white-space: pre-wrap">Night\nx x</div>').text).toBe(
      'Night\nx x',
    );
    expect(htmlToText('<p style="WHITE-SPACE:pre-line !important">one\ntwo</p><p>three\nfour</p>').text).toBe(
      'one\ntwo\n\nthree four',
    );
    // white-space: nowrap keeps nothing; a style only naming pre-wrap elsewhere is no white-space rule.
    expect(htmlToText('<div style="white-space:nowrap">a\nb</div>').text).toBe('a b');
    expect(htmlToText('<div style="x-white-space:pre">a\nb</div>').text).toBe('a b');
  });

  it('keeps the first newline when a tag comes between it and the start tag', () => {
    expect(htmlToText('Notes<pre><b>\nbold</b>\nplain</pre>').text).toBe('Notes\n\nbold\nplain');
  });

  it('maps every char back to its source: a CRLF to both its chars, an entity to the whole of it', () => {
    const html = '<pre>\r\nTel:  07700&nbsp;900123\r\nMr H</pre>';
    const rendered = htmlToText(html);
    expect(rendered.text).toBe('Tel:  07700\u00a0900123\nMr H');
    const sourceOf = (passage: string): string => {
      const at = rendered.text.indexOf(passage);
      const span = toOriginalSpan(rendered, at, at + passage.length);
      return html.slice(span.start, span.end);
    };
    expect(sourceOf('07700\u00a0900123')).toBe('07700&nbsp;900123');
    expect(sourceOf('123\nMr')).toBe('123\r\nMr');
    expect(sourceOf('Tel:  0')).toBe('Tel:  0');
  });
});

describe('a signature written in a <pre>', () => {
  it('is cut from the HTML as it is from the plain text', () => {
    const parts = extractParts({ text: TEXT, html: HTML });
    expect(parts.map((p) => [p.kind, p.source])).toEqual([
      ['body', 'text'],
      ['signature', 'text'],
      ['html', 'html'],
      ['signature', 'html'],
    ]);
    expect(parts[3]!.text).toBe(`${SIGNATURE}</pre></div></body></html>`);
  });

  it('gives a finding in it against the signature, at its offsets in the signature part', () => {
    const rules = compileYaml(rule('mobile', 'detector: { name: phone, types: [mobile] }'));
    const verdict = classify({ html: HTML }, rules);
    expect(verdict.findings).toMatchObject([{ rule: 'mobile', part: 'signature', text: '07700 900123' }]);
    const [finding] = verdict.findings;
    const part = verdict.parts[finding!.partIndex]!;
    expect(part.text.slice(finding!.start, finding!.end)).toBe('07700 900123');
    expect(part.offset + finding!.start).toBe(HTML.indexOf('07700 900123'));
  });
});
