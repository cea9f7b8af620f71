import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  documentKind,
  documentText,
  MAX_UNZIPPED_BYTES,
  UnreadableDocument,
} from '../../src/classifier/document-text.js';
import { openDocumentText, presentation, spreadsheet, wordDocument } from '../fixtures/documents.js';

describe('documentKind', () => {
  it('knows Office and OpenDocument files by media type', () => {
    expect(documentKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'letter.bin')).toBe(
      'word',
    );
    expect(documentKind('application/vnd.oasis.opendocument.spreadsheet', undefined)).toBe('opendocument');
  });

  it('knows them by file name when the mail program sent them as application/octet-stream', () => {
    expect(documentKind('application/octet-stream', 'Rota.XLSX')).toBe('spreadsheet');
    expect(documentKind('application/octet-stream', 'assembly.pptx')).toBe('presentation');
    expect(documentKind('application/octet-stream', 'photo.jpg')).toBeUndefined();
    expect(documentKind('application/octet-stream', 'Worksheet.PDF')).toBe('pdf');
    expect(documentKind('application/msword', 'old.doc')).toBeUndefined();
  });
});

describe('documentText', () => {
  it("reads a Word document's paragraphs, table cells and page header", () => {
    const docx = wordDocument({
      paragraphs: ['Year 9 trip to the museum', 'Bring a packed lunch.'],
      table: [
        ['Contact', 'Number'],
        ['Mr Morgan', '07700 900123'],
      ],
      header: 'Oakfield Academy',
    });
    const { text, problem } = documentText(docx, 'word');
    expect(problem).toBeUndefined();
    expect(text).toContain('Year 9 trip to the museum\nBring a packed lunch.\n');
    expect(text).toContain('Mr Morgan\t07700 900123\t');
    expect(text).toContain('Oakfield Academy');
    expect(text.indexOf('Year 9 trip')).toBeLessThan(text.indexOf('Oakfield Academy'));
  });

  it('reads where a Word hyperlink points, not only the words it shows', () => {
    const docx = wordDocument({
      paragraphs: ['Revision notes are on my site.'],
      link: { text: 'click here', target: 'https://mr-morgan-maths.blogspot.com/' },
    });
    const { text } = documentText(docx, 'word');
    expect(text).toContain('click here');
    expect(text).toContain('https://mr-morgan-maths.blogspot.com/');
  });

  it('reads shared strings and number cells of a spreadsheet, not the string table indices', () => {
    const xlsx = spreadsheet([
      ['Name', 'Mobile'],
      ['Mr Morgan', 7700900123],
    ]);
    const { text } = documentText(xlsx, 'spreadsheet');
    expect(text).toContain('Name\nMobile\nMr Morgan\n');
    expect(text).toContain('7700900123');
    // The sheet's string cells hold indices (0, 1, 2) into the shared strings: they are not text.
    expect(text).not.toMatch(/(^|\t)[012]\t/m);
  });

  it('reads slides in number order and their speaker notes', () => {
    const slides = Array.from({ length: 10 }, (_, i) => `Slide ${i + 1}`);
    const pptx = presentation(slides, { 2: 'Remind them to text me on 07700 900456' });
    const { text } = documentText(pptx, 'presentation');
    expect(text.indexOf('Slide 2\n')).toBeLessThan(text.indexOf('Slide 10\n'));
    expect(text).toContain('Remind them to text me on 07700 900456');
  });

  it("reads an OpenDocument text's runs of spaces, link targets and page footer", () => {
    const odt = openDocumentText(
      ['Call<text:s text:c="3"/>me', 'My <text:a xlink:href="https://www.instagram.com/mr.morgan/">page</text:a>'],
      'Mr Morgan, 07700 900789',
    );
    const { text } = documentText(odt, 'opendocument');
    expect(text).toContain('Call   me\n');
    expect(text).toContain('https://www.instagram.com/mr.morgan/');
    expect(text).toContain('Mr Morgan, 07700 900789');
  });

  it('says a password-protected Office file cannot be read (it is an encrypted container, not a ZIP)', () => {
    const encrypted = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(() => documentText(encrypted, 'word')).toThrow(UnreadableDocument);
    expect(() => documentText(encrypted, 'word')).toThrow(/password-protected/);
  });

  it('says a damaged document cannot be read rather than passing it as empty', () => {
    const docx = wordDocument({ paragraphs: ['Hello'] });
    expect(() => documentText(docx.subarray(0, docx.length - 30), 'word')).toThrow(UnreadableDocument);
    expect(() => documentText(Buffer.from('not a zip at all'), 'spreadsheet')).toThrow(/damaged/);
  });

  it('leaves out a part that would unzip past the bound, and says so (a ZIP bomb costs nothing)', () => {
    const bomb = Buffer.from(
      zipSync({
        'word/document.xml': new Uint8Array(MAX_UNZIPPED_BYTES + 1),
        'word/footer1.xml': new TextEncoder().encode(
          '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>Footer</w:t></w:r></w:p></w:ftr>',
        ),
      }),
    );
    expect(bomb.length).toBeLessThan(MAX_UNZIPPED_BYTES / 100);
    const { text, problem } = documentText(bomb, 'word');
    expect(text).toBe('Footer\n');
    expect(problem).toMatch(/1 of its parts were too large or too many to read/);
  });
});
