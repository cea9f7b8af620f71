import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/classifier/html-text.js';
import { toOriginalSpan } from '../../src/classifier/mapped-text.js';

function sourceOf(html: string, rendered: string, what: string): string {
  const m = htmlToText(html);
  const at = m.text.indexOf(what);
  expect(at, `"${what}" in ${JSON.stringify(m.text)}`).toBeGreaterThanOrEqual(0);
  expect(m.text).toBe(rendered);
  const span = toOriginalSpan(m, at, at + what.length);
  return html.slice(span.start, span.end);
}

describe('htmlToText', () => {
  it('keeps a number split across inline tags contiguous, mapped to its source', () => {
    const html = '<p>Call <b>07700</b> 900<i>123</i></p>';
    expect(sourceOf(html, 'Call 07700 900123', '07700 900123')).toBe('07700</b> 900<i>123');
  });

  it('decodes entities, each decoded character mapping to its whole entity', () => {
    const html = 'Tom&nbsp;&amp;&#32;Jo &lt;3 caf&eacute; 9&#48;0';
    const m = htmlToText(html);
    expect(m.text).toBe('Tom\u00a0& Jo <3 café 900');
    expect(sourceOf(html, m.text, '&')).toBe('&amp;');
    expect(sourceOf(html, m.text, 'é')).toBe('&eacute;');
  });

  it('turns blocks and <br> into line breaks and paragraphs into blank lines', () => {
    const html =
      '<div>Hi Jo,</div><p>See you</p>Kind regards,<br>Mr H<br><br>Oakfield<table><tr><td>a</td><td>b</td></tr></table>';
    expect(htmlToText(html).text).toBe('Hi Jo,\n\nSee you\n\nKind regards,\nMr H\n\nOakfield\na b');
  });

  it('drops script, style and title contents but keeps a body after an unclosed <head>', () => {
    const html =
      '<html><head><title>x</title><style>p{color:red}</style><script>var n="07700900123"</script><p>Visible</p>';
    expect(htmlToText(html).text).toBe('Visible');
  });

  it('collapses whitespace as a browser does', () => {
    expect(htmlToText('  Hello\n\n   there\t<b> you </b> ').text).toBe('Hello there you');
  });

  it('shows where a link goes when its text hides the target', () => {
    const html =
      'See <a href="https://instagram.com/jhughes_99">my page</a> and <a href="https://bbc.co.uk/bitesize">bbc.co.uk/bitesize</a>';
    const m = htmlToText(html);
    expect(m.text).toBe('See my page https://instagram.com/jhughes_99 and bbc.co.uk/bitesize');
    expect(sourceOf(html, m.text, 'instagram.com/jhughes_99')).toBe('instagram.com/jhughes_99');
  });

  it('renders a megabyte of HTML in linear time', () => {
    const html = '<div><p>Dear parents, <b>the trip</b> costs &pound;15.</p></div>'.repeat(18_000);
    expect(htmlToText(html).text.length).toBeGreaterThan(400_000);
  });
});

describe('htmlToText on hostile HTML', () => {
  it('reads past a thousand-deep nest of unclosed tags in bounded time, keeping every word', () => {
    const html = '<b>x '.repeat(300_000) + 'call 07700 900123';
    const text = htmlToText(html).text;
    expect(text.endsWith('x call 07700 900123')).toBe(true);
    expect(text.split('x').length - 1).toBe(300_000);
  });
});
