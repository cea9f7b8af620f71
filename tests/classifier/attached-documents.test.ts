// Office and OpenDocument attachments in real MIME (built by nodemailer's composer, base64 as mail programs send
// them), read by parseMime and screened by classify with the shipped rules.
import { beforeAll, describe, expect, it } from 'vitest';
import { classify, parseMime, type CompiledRules } from '../../src/classifier/index.js';
import { openDocumentText, pdfDocument, spreadsheet, wordDocument } from '../fixtures/documents.js';
import { OAKFIELD_ORGANISATION, mailWithAttachments, shippedRules } from '../fixtures/attachment-mail.js';

const organisation = OAKFIELD_ORGANISATION;
let rules: CompiledRules;

beforeAll(async () => {
  rules = await shippedRules();
});

describe('attached documents', () => {
  it('reads the text of an attached Word document, under its file name', async () => {
    const raw = await mailWithAttachments([
      { filename: 'trip letter.docx', content: wordDocument({ paragraphs: ['Coach leaves at 8.'] }) },
    ]);
    const input = await parseMime(raw);
    expect(input.attachedTexts).toEqual([{ name: 'trip letter.docx', text: 'Coach leaves at 8.\n' }]);
    expect(input.problems).toBeUndefined();
  });

  it('reads a document sent as application/octet-stream by its name', async () => {
    const raw = await mailWithAttachments([
      { filename: 'rota.xlsx', content: spreadsheet([['Duty', 'Monday']]), contentType: 'application/octet-stream' },
    ]);
    expect((await parseMime(raw)).attachedTexts?.[0]?.text).toContain('Duty\nMonday');
  });

  it('holds mail whose attached Word document gives a personal mobile number, naming the document', async () => {
    const docx = wordDocument({
      paragraphs: ['Trip details', 'If you get lost, text me on my personal mobile: 07700 900123'],
    });
    const verdict = classify(
      await parseMime(await mailWithAttachments([{ filename: 'trip.docx', content: docx }])),
      rules,
      {
        recipientClass: 'pupil',
        organisation,
      },
    );
    expect(verdict.action).toBe('hold');
    const finding = verdict.findings.find((f) => f.text.includes('07700 900123'));
    expect(finding, JSON.stringify(verdict.findings)).toBeDefined();
    expect(verdict.parts[finding!.partIndex]?.source).toBe('attached');
    expect(verdict.parts[finding!.partIndex]?.name).toBe('trip.docx');
  });

  it('holds mail whose attached PDF asks the pupil to ring a personal mobile', async () => {
    const pdf = pdfDocument({
      pages: [['Revision timetable'], ['Stuck? Ring me on my mobile 07700 900456 any evening']],
    });
    const verdict = classify(
      await parseMime(await mailWithAttachments([{ filename: 'revision.pdf', content: pdf }])),
      rules,
      {
        recipientClass: 'pupil',
        organisation,
      },
    );
    expect(verdict.action).toBe('hold');
    const finding = verdict.findings.find((f) => f.text.includes('07700 900456'));
    expect(finding, JSON.stringify(verdict.findings)).toBeDefined();
    expect(verdict.parts[finding!.partIndex]?.name).toBe('revision.pdf');
  });

  it("holds mail whose attached OpenDocument text links to the teacher's own Instagram", async () => {
    const odt = openDocumentText([
      'Follow my <text:a xlink:href="https://www.instagram.com/mr.morgan.pe/">page</text:a> for more',
    ]);
    const verdict = classify(
      await parseMime(await mailWithAttachments([{ filename: 'notes.odt', content: odt }])),
      rules,
      {
        recipientClass: 'pupil',
        organisation,
      },
    );
    expect(verdict.action).toBe('hold');
    expect(verdict.categories).toContain('contact-details');
  });

  it('passes mail whose attached spreadsheet holds only school business', async () => {
    const xlsx = spreadsheet([
      ['Fixture', 'Date', 'Kit'],
      ['Netball v Hillside', '12 March', 'PE kit'],
    ]);
    const verdict = classify(
      await parseMime(await mailWithAttachments([{ filename: 'fixtures.xlsx', content: xlsx }])),
      rules,
      {
        recipientClass: 'pupil',
        organisation,
      },
    );
    expect(verdict.findings).toEqual([]);
    expect(verdict.action).toBe('pass');
  });

  it('holds mail with a password-protected document for a person to read, saying why', async () => {
    const encrypted = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(1024),
    ]);
    const input = await parseMime(await mailWithAttachments([{ filename: 'marks.docx', content: encrypted }]));
    expect(input.problems).toEqual([
      'The attachment "marks.docx" could not be opened to check its text: it is password-protected.',
    ]);
    const verdict = classify(input, rules, { recipientClass: 'pupil', organisation });
    expect(verdict.action).toBe('hold');
  });
});
