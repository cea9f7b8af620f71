// ZIP archives attached to mail (a pack of worksheets): real archives in real MIME, read by parseMime and screened
// by classify with the shipped rules.
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ARCHIVE_ENTRIES, MAX_ARCHIVE_UNZIPPED_BYTES } from '../../src/classifier/archive-entries.js';
import { classify, parseMime, type CompiledRules } from '../../src/classifier/index.js';
import { MAX_ATTACHMENT_NAMES } from '../../src/classifier/parse-mime.js';
import { pdfDocument, wordDocument } from '../fixtures/documents.js';
import { OAKFIELD_ORGANISATION, mailWithAttachment, shippedRules } from '../fixtures/attachment-mail.js';

const organisation = OAKFIELD_ORGANISATION;
let rules: CompiledRules;

beforeAll(async () => {
  rules = await shippedRules();
});

const pack = (files: Record<string, Uint8Array>) => Buffer.from(zipSync(files));

describe('attached ZIP archives', () => {
  it('names every file in the archive and reads the documents and text files in it', async () => {
    const zip = pack({
      'Year 9/algebra.docx': wordDocument({ paragraphs: ['Algebra worksheet'] }),
      'Year 9/answers.pdf': pdfDocument({ pages: [['Answers: 1) 12 2) 7']] }),
      'readme.txt': strToU8('Print double-sided.'),
      'diagram.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      'Year 9/': new Uint8Array(0),
    });
    const input = await parseMime(await mailWithAttachment('revision.zip', zip));
    expect(input.attachmentNames).toEqual([
      'revision.zip',
      'Year 9/algebra.docx',
      'Year 9/answers.pdf',
      'readme.txt',
      'diagram.png',
    ]);
    expect(input.attachedTexts).toEqual([
      { name: 'revision.zip: Year 9/algebra.docx', text: 'Algebra worksheet\n' },
      { name: 'revision.zip: Year 9/answers.pdf', text: 'Answers: 1) 12 2) 7' },
      { name: 'revision.zip: readme.txt', text: 'Print double-sided.' },
    ]);
    expect(input.problems).toBeUndefined();
  });

  it('holds mail whose zipped worksheet gives a personal mobile number, naming the file it is in', async () => {
    const zip = pack({
      'sheet.docx': wordDocument({ paragraphs: ['Questions 1-10', 'Stuck? Text me on my mobile 07700 900123'] }),
    });
    const verdict = classify(await parseMime(await mailWithAttachment('pack.zip', zip)), rules, {
      recipientClass: 'pupil',
      organisation,
    });
    expect(verdict.action).toBe('hold');
    const finding = verdict.findings.find((f) => f.text.includes('07700 900123'));
    expect(finding, JSON.stringify(verdict.findings)).toBeDefined();
    expect(verdict.parts[finding!.partIndex]?.name).toBe('pack.zip: sheet.docx');
  });

  it('passes mail with an archive of school work only', async () => {
    const zip = pack({ 'timetable.txt': strToU8('Monday: Maths, English. Tuesday: Science, PE kit needed.') });
    const verdict = classify(await parseMime(await mailWithAttachment('week.zip', zip)), rules, {
      recipientClass: 'pupil',
      organisation,
    });
    expect(verdict.findings).toEqual([]);
    expect(verdict.action).toBe('pass');
  });

  it('holds an archive it cannot open (encrypted or damaged), saying why', async () => {
    const zip = pack({ 'marks.txt': strToU8('Marks for the mock exam') });
    // Mark the one file as AES-encrypted (compression method 99), as an archiver protecting it with a password does.
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt16LE(99, central + 10);
    const input = await parseMime(await mailWithAttachment('marks.zip', zip));
    expect(input.problems).toEqual([
      expect.stringMatching(
        /^The attachment "marks\.zip" could not be opened to check the files in it: it is damaged or password-protected/,
      ),
    ]);
    expect(classify(input, rules, { recipientClass: 'pupil', organisation }).action).toBe('hold');
  });

  it('reads no file past the unzip bound and says so (a ZIP bomb costs nothing)', async () => {
    const zip = pack({
      'big.txt': new Uint8Array(MAX_ARCHIVE_UNZIPPED_BYTES + 1),
      'small.txt': strToU8('See you on Monday.'),
    });
    const input = await parseMime(await mailWithAttachment('bomb.zip', zip));
    expect(input.attachedTexts).toEqual([{ name: 'bomb.zip: small.txt', text: 'See you on Monday.' }]);
    expect(input.problems).toEqual([
      'The attachment "bomb.zip" could only be partly read: 1 of its files were too large to read.',
    ]);
  });

  it(`names at most ${MAX_ARCHIVE_ENTRIES} files of an archive and says there were more`, async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i <= MAX_ARCHIVE_ENTRIES; i++) files[`photo-${i}.jpg`] = new Uint8Array(1);
    const input = await parseMime(await mailWithAttachment('photos.zip', pack(files)));
    // The message's own bound on names screened applies to the archive's files as to any attachment's.
    expect(input.attachmentNames).toHaveLength(MAX_ATTACHMENT_NAMES);
    expect(input.problems).toEqual([
      `The attachment "photos.zip" could only be partly read: it holds more than ${MAX_ARCHIVE_ENTRIES} files.`,
      `The message has ${MAX_ARCHIVE_ENTRIES + 1} named attachments; only the first ${MAX_ATTACHMENT_NAMES} names were screened.`,
    ]);
  });
});
