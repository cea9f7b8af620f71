// Documents longer than the text read from one (MAX_DOCUMENT_CHARS): what is past the cut is not screened, so the
// cut is a problem and the message is held, as a body too long to screen whole is. Real documents in real MIME.
import { beforeAll, describe, expect, it } from 'vitest';
import { documentText, MAX_DOCUMENT_CHARS } from '../../src/classifier/document-text.js';
import { classify, parseMime, type CompiledRules } from '../../src/classifier/index.js';
import { pdfText } from '../../src/classifier/pdf-text.js';
import { mailWithAttachments, OAKFIELD_ORGANISATION, shippedRules } from '../fixtures/attachment-mail.js';
import { pdfDocument, presentation, spreadsheet, wordDocument } from '../fixtures/documents.js';

const FLAGGED = 'Text me on my personal mobile 07700 900123, keep it our secret.';
const CUT = /it has more than 1,000,000 characters of text, and only the first 1,000,000 were screened/;
/** Paragraphs of school text adding up to just over the bound. */
const filler = (total = MAX_DOCUMENT_CHARS + 100_000) => {
  const paragraph = 'The class reads chapter four aloud and answers the questions at the end. '.repeat(20);
  return new Array<string>(Math.ceil(total / paragraph.length)).fill(paragraph);
};

const organisation = OAKFIELD_ORGANISATION;
let rules: CompiledRules;

beforeAll(async () => {
  rules = await shippedRules();
});

describe('documents longer than is read', () => {
  it('says a Word document was cut, when its text runs past the bound', () => {
    const { text, problem } = documentText(wordDocument({ paragraphs: [...filler(), FLAGGED] }), 'word');
    expect(text).toHaveLength(MAX_DOCUMENT_CHARS);
    expect(text).not.toContain('07700 900123');
    expect(problem).toMatch(CUT);
  });

  it('says nothing was cut for a document exactly as long as the bound', () => {
    const docx = wordDocument({ paragraphs: ['x'.repeat(MAX_DOCUMENT_CHARS - 1)] });
    const { text, problem } = documentText(docx, 'word');
    expect(text).toHaveLength(MAX_DOCUMENT_CHARS);
    expect(problem).toBeUndefined();
  });

  it('says a spreadsheet or slide deck was cut, when its cells or slides run past the bound', () => {
    const rows = filler().map((cell) => [cell]);
    expect(documentText(spreadsheet([...rows, [FLAGGED]]), 'spreadsheet').problem).toMatch(CUT);
    expect(documentText(presentation([...filler(), FLAGGED]), 'presentation').problem).toMatch(CUT);
  });

  it('says a PDF was cut, when its pages run past the bound before its last', async () => {
    // Full pages (pdf.js leaves out text past the page's edge): 44 lines of 100 characters, 240 of them.
    const line = 'The class reads chapter four aloud and answers the questions at the end of it. Then they write. ';
    const page = new Array<string>(44).fill(line.slice(0, 100));
    const pdf = pdfDocument({ pages: [...new Array<string[]>(240).fill(page), [FLAGGED]], compressed: true });
    const { text, problem } = await pdfText(pdf);
    expect(text).not.toContain('07700 900123');
    expect(problem).toMatch(CUT);
  }, 30_000);

  it('holds mail whose attached document has a flagged sentence past the cut, saying why', async () => {
    const raw = await mailWithAttachments([
      { filename: 'handbook.docx', content: wordDocument({ paragraphs: [...filler(), FLAGGED] }) },
    ]);
    const input = await parseMime(raw);
    expect(input.problems).toEqual([
      expect.stringMatching(/^The attachment "handbook\.docx" could only be partly read/),
    ]);
    expect(input.problems![0]).toMatch(CUT);
    const verdict = classify(input, rules, { recipientClass: 'pupil', organisation });
    expect(verdict.action).toBe('hold');
  });
});
