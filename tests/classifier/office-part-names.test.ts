// Office files whose parts are not at their usual names: Word, Excel and PowerPoint find the main part through the
// package's relationships and compare part names without regard to case (ECMA-376 Part 2), so the relay must too;
// a package whose text cannot be found is unreadable (held), never passed as empty. Real packages zipped with fflate.
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentText, UnreadableDocument } from '../../src/classifier/document-text.js';
import { classify, parseMime, type CompiledRules } from '../../src/classifier/index.js';
import { mailWithAttachments, OAKFIELD_ORGANISATION, shippedRules } from '../fixtures/attachment-mail.js';

const FLAGGED = 'Text me on my personal mobile 07700 900123, keep it our secret.';
const OFFICE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const PA = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="x"';

/** A relationships part: [type (last segment of its URI), target] each. */
const rels = (...relationships: [string, string][]) =>
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  relationships
    .map(([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${OFFICE}/${type}" Target="${target}"/>`)
    .join('') +
  '</Relationships>';
const pack = (files: Record<string, string>) =>
  Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]))));
const wordBody = (text: string) =>
  `<w:document ${W}><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`;

const organisation = OAKFIELD_ORGANISATION;
let rules: CompiledRules;

beforeAll(async () => {
  rules = await shippedRules();
});

describe('Office parts found as Office finds them', () => {
  it('reads a main part found through the package relationships, whatever its name', () => {
    const docx = pack({
      '[Content_Types].xml': '<Types/>',
      '_rels/.rels': rels(['officeDocument', 'word/document2.xml']),
      'word/document2.xml': wordBody(FLAGGED),
    });
    expect(documentText(docx, 'word').text).toContain('07700 900123');
  });

  it('finds parts whose names differ in letter case from what the relationships say', () => {
    const docx = pack({
      '_rels/.rels': rels(['officeDocument', 'word/document.xml']),
      'Word/Document.xml': wordBody(FLAGGED),
    });
    expect(documentText(docx, 'word').text).toContain('07700 900123');
  });

  it("follows the main part's relationships to headers and footers under any name", () => {
    const docx = pack({
      '_rels/.rels': rels(['officeDocument', '/word/main.xml']),
      'word/main.xml': wordBody('Trip letter'),
      'word/_rels/main.xml.rels': rels(['header', 'parts/top.xml'], ['footer', '../word/parts/bottom.xml']),
      'word/parts/top.xml': `<w:hdr ${W}><w:p><w:r><w:t>${FLAGGED}</w:t></w:r></w:p></w:hdr>`,
      'word/parts/bottom.xml': `<w:ftr ${W}><w:p><w:r><w:t>Oakfield Academy</w:t></w:r></w:p></w:ftr>`,
    });
    const { text } = documentText(docx, 'word');
    expect(text.indexOf('Trip letter')).toBe(0);
    expect(text).toContain('07700 900123');
    expect(text).toContain('Oakfield Academy');
  });

  it('reads worksheets and shared strings, and slides and their notes, found through relationships', () => {
    const xlsx = pack({
      '_rels/.rels': rels(['officeDocument', 'xl/book.xml']),
      'xl/book.xml': `<workbook ${S}/>`,
      'xl/_rels/book.xml.rels': rels(['worksheet', 'sheets/Contacts.xml'], ['sharedStrings', 'strings.xml']),
      'xl/sheets/Contacts.xml': `<worksheet ${S}><sheetData><row><c t="s"><v>0</v></c><c><v>7700900123</v></c></row></sheetData></worksheet>`,
      'xl/strings.xml': `<sst ${S}><si><t>Mr Morgan's mobile</t></si></sst>`,
    });
    const sheet = documentText(xlsx, 'spreadsheet').text;
    expect(sheet).toContain("Mr Morgan's mobile");
    expect(sheet).toContain('7700900123');
    const pptx = pack({
      '_rels/.rels': rels(['officeDocument', 'ppt/deck.xml']),
      'ppt/deck.xml': `<p:presentation ${PA}/>`,
      'ppt/_rels/deck.xml.rels': rels(['slide', 'slides/intro.xml']),
      'ppt/slides/intro.xml': `<p:sld ${PA}><a:p><a:t>Welcome</a:t></a:p></p:sld>`,
      'ppt/slides/_rels/intro.xml.rels': rels(['notesSlide', '../notes/intro-notes.xml']),
      'ppt/notes/intro-notes.xml': `<p:notes ${PA}><a:p><a:t>${FLAGGED}</a:t></a:p></p:notes>`,
    });
    expect(documentText(pptx, 'presentation').text).toContain('07700 900123');
  });

  it('holds a package whose relationships name a main part it does not have', () => {
    const docx = pack({
      '_rels/.rels': rels(['officeDocument', 'word/document.xml']),
      'word/other.xml': wordBody(FLAGGED),
    });
    expect(() => documentText(docx, 'word')).toThrow(UnreadableDocument);
    expect(() => documentText(docx, 'word')).toThrow(/its main part is missing/);
  });

  it('holds a package in which no text can be found at all, rather than passing it as empty', () => {
    expect(() => documentText(pack({ 'media/image1.png': 'PNG' }), 'word')).toThrow(/none of its text could be found/);
    expect(() => documentText(pack({ mimetype: 'application/vnd.oasis.opendocument.text' }), 'opendocument')).toThrow(
      /none of its text could be found/,
    );
  });

  it('holds a package with two parts whose names differ only in letter case (which one Word reads is unknown)', () => {
    const docx = pack({
      '_rels/.rels': rels(['officeDocument', 'word/document.xml']),
      'word/document.xml': wordBody('Coach leaves at 8.'),
      'WORD/DOCUMENT.XML': wordBody(FLAGGED),
    });
    expect(() => documentText(docx, 'word')).toThrow(/two of its parts share a name/);
  });

  it('holds mail whose attached Word document keeps its text in a renamed main part', async () => {
    const docx = pack({
      '_rels/.rels': rels(['officeDocument', 'word/document2.xml']),
      'word/document2.xml': wordBody(FLAGGED),
    });
    const raw = await mailWithAttachments([{ filename: 'sheet.docx', content: docx }]);
    const verdict = classify(await parseMime(raw), rules, { recipientClass: 'pupil', organisation });
    expect(verdict.action).toBe('hold');
    expect(verdict.findings.some((f) => f.text.includes('07700 900123'))).toBe(true);
  });
});
