// Office and OpenDocument files whose XML nests elements hundreds of thousands deep (a few KB zipped): htmlparser2's
// element stack made each tag cost its depth (300,000 took 55 s), so past MAX_XML_DEPTH the document is unreadable
// (held) and reading stops there. Real archives, zipped with fflate as the fixtures' documents are.
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { documentText, UnreadableDocument } from '../../src/classifier/document-text.js';
import { MAX_XML_DEPTH } from '../../src/classifier/xml-reader.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const word = (body: string) =>
  Buffer.from(zipSync({ 'word/document.xml': strToU8(`<w:document ${W}><w:body>${body}</w:body></w:document>`) }));
const FLAGGED = '<w:p><w:r><w:t>Text me on 07700 900123</w:t></w:r></w:p>';

describe('deeply nested document XML', () => {
  it('holds a Word document nesting 300,000 elements, stopping at once', () => {
    const docx = word(`${'<w:p>'.repeat(300_000)}${FLAGGED}`);
    expect(docx.length).toBeLessThan(10_000);
    const started = performance.now();
    expect(() => documentText(docx, 'word')).toThrow(UnreadableDocument);
    expect(() => documentText(docx, 'word')).toThrow(`nested more than ${MAX_XML_DEPTH} levels deep`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('holds an OpenDocument text nesting spans 300,000 deep', () => {
    const odt = Buffer.from(
      zipSync({
        mimetype: strToU8('application/vnd.oasis.opendocument.text'),
        'content.xml': strToU8(
          '<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>' +
            `${'<text:span>'.repeat(300_000)}<text:p>Text me on 07700 900123</text:p>`,
        ),
      }),
    );
    expect(() => documentText(odt, 'opendocument')).toThrow(/nested more than/);
  });

  it('holds a document whose closing tags do not close what is open (htmlparser2 searched its stack for each)', () => {
    const docx = word(`${'<w:p>'.repeat(200)}${'</w:x>'.repeat(100_000)}${FLAGGED}`);
    const started = performance.now();
    expect(() => documentText(docx, 'word')).toThrow(/its contents are damaged/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reads a document nested as deeply as real ones are: tables in tables, forty deep', () => {
    const nested = (depth: number): string =>
      depth === 0 ? FLAGGED : `<w:tbl><w:tr><w:tc>${nested(depth - 1)}</w:tc></w:tr></w:tbl>`;
    expect(documentText(word(nested(40)), 'word').text).toContain('07700 900123');
  });
});
