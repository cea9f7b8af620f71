// What the reader cannot see is left out of the rendered HTML and read on its own, each char mapped back to the source.
import { describe, expect, it } from 'vitest';
import { calendarText } from '../../src/classifier/calendar-text.js';
import { hiddenText } from '../../src/classifier/hidden-text.js';
import { htmlToText } from '../../src/classifier/html-text.js';
import { toOriginalSpan } from '../../src/classifier/mapped-text.js';

function sourceOf(html: string, rendered: ReturnType<typeof hiddenText>, passage: string): string {
  const at = rendered.text.indexOf(passage);
  expect(at, `"${passage}" in "${rendered.text}"`).toBeGreaterThanOrEqual(0);
  const span = toOriginalSpan(rendered, at, at + passage.length);
  return html.slice(span.start, span.end);
}

describe('hidden text', () => {
  it('leaves hidden filler out of the rendered text and reads it on its own, a paragraph apart', () => {
    const html =
      '<p>Don\'t <span style="display:none">forget homework</span>tell your <b style="font-size:0">year</b>parents.</p>' +
      '<p>Bye <i hidden>x&amp;y</i></p>';
    expect(htmlToText(html).text).toBe("Don't tell your parents.\n\nBye");
    const hidden = hiddenText(html);
    expect(hidden.text).toBe('forget homework\n\nyear\n\nx&y');
    expect(sourceOf(html, hidden, 'forget homework')).toBe('forget homework');
    expect(sourceOf(html, hidden, 'x&y')).toBe('x&amp;y');
  });

  it('joins words split across inline tags inside hidden text, and parts them at block tags', () => {
    const html = '<div style="display:none">077<b>00</b> 900<span>123</span><p>next</p></div>';
    expect(hiddenText(html).text).toBe('07700 900123\nnext');
  });

  it("reads a picture's alt text, mapped to the attribute", () => {
    const html = '<p>Hi <img src="x.png" alt="Call 07700 900123"> there</p>';
    expect(htmlToText(html).text).toBe('Hi there');
    const hidden = hiddenText(html);
    expect(hidden.text).toBe('Call 07700 900123');
    expect(sourceOf(html, hidden, '07700 900123')).toBe('07700 900123');
  });

  it('takes a colour on its own background, inherited sizes and visibility as a browser does', () => {
    const html =
      '<div style="color:#fff"><span style="background-color:#000">white on black</span> white on white</div>' +
      '<div style="visibility:hidden">gone <span style="visibility:visible">back</span></div>' +
      '<div style="font-size:0">x<span style="font-size:150%">still tiny</span><span style="font-size:12pt">readable</span></div>';
    expect(htmlToText(html).text).toBe('white on black\nback\nreadable');
    expect(hiddenText(html).text).toBe('white on white\ngone\n\nxstill tiny');
  });

  it('applies <style> rules inside @media for every screen and @supports, not print or size-dependent ones', () => {
    const html =
      '<style>@media screen{.s{display:none}} @media only screen, all { .a { font-size: 0 } }' +
      ' @supports (display:grid){ @media all { .u{display:none} } } @media print{.p{display:none}}' +
      ' @media screen and (max-width:600px){.m{display:none}}</style>' +
      '<p>a <span class="s">one</span> b <span class="a">two</span> c <span class="u">three</span>' +
      ' <span class="p">four</span> <span class="m">five</span></p>';
    expect(htmlToText(html).text).toBe('a b c four five');
    expect(hiddenText(html).text).toBe('one\n\ntwo\n\nthree');
  });

  it('applies <style> rules with simple selectors, not those inside size-dependent @media or with several steps', () => {
    const html =
      '<style>.h{display:none} p#k { color: white } @media (max-width:600px){.m{display:none}} div .d{display:none}</style>' +
      '<p>a <span class="x h">one</span> b <span class="m">two</span> <span class="d">three</span></p><p id="k">four</p>';
    expect(htmlToText(html).text).toBe('a b two three');
    expect(hiddenText(html).text).toBe('one\n\nfour');
  });
});

describe('calendar text', () => {
  it('picks out the shown fields, unfolding lines and undoing escapes', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'SUMMARY:Extra help\\, Room 4',
      'LOCATION;LANGUAGE=en-GB:My house',
      'DESCRIPTION:Line one\\nline t',
      ' wo',
      'ORGANIZER;CN="Mr Smith":mailto:j.smith@gmail.com',
      'X-ALT-DESC;FMTTYPE=text/html:<p>Bring <b>snacks</b></p>',
      'DTSTART:20250308T140000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(calendarText(ics)).toBe(
      'Extra help, Room 4\n\nMy house\n\nLine one\nline two\n\nMr Smith j.smith@gmail.com\n\nBring snacks',
    );
  });

  it('returns text that is not iCalendar as it stands, so it is still screened', () => {
    expect(calendarText('call me on 07700 900123')).toBe('call me on 07700 900123');
  });
});
