// ZIP archives inside ZIP archives: opened up to MAX_ARCHIVE_DEPTH, all levels sharing one archive's bounds, so a
// flagged note two archives down is screened, a nest deeper than that is held unread, and a nest of bombs costs no
// more than one archive may. Real archives zipped with fflate, in real MIME.
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  archiveContents,
  MAX_ARCHIVE_DEPTH,
  MAX_ARCHIVE_UNZIPPED_BYTES,
  UnreadableArchive,
} from '../../src/classifier/archive-entries.js';
import { classify, parseMime, type CompiledRules } from '../../src/classifier/index.js';
import { wordDocument } from '../fixtures/documents.js';
import { zipArchive } from '../fixtures/zip-archives.js';
import { OAKFIELD_ORGANISATION, mailWithAttachment, shippedRules } from '../fixtures/attachment-mail.js';

const FLAGGED = 'Text me on my personal mobile 07700 900123, keep it our secret.';
const pack = (files: Record<string, Uint8Array>) => Buffer.from(zipSync(files));
const everything = () => true;

const organisation = OAKFIELD_ORGANISATION;
let rules: CompiledRules;

beforeAll(async () => {
  rules = await shippedRules();
});

describe('archives inside archives', () => {
  it('holds mail whose flagged note sits in an archive inside an archive, naming where it is', async () => {
    const inner = pack({ 'note.txt': strToU8(FLAGGED), 'essay.docx': wordDocument({ paragraphs: ['My essay'] }) });
    const zip = pack({ 'readme.txt': strToU8('Coursework'), 'Amelia/work.zip': pack({ 'drafts.zip': inner }) });
    const input = await parseMime(await mailWithAttachment('coursework.zip', zip));
    expect(input.attachmentNames).toEqual([
      'coursework.zip',
      'readme.txt',
      'Amelia/work.zip',
      'Amelia/work.zip/drafts.zip',
      'Amelia/work.zip/drafts.zip/note.txt',
      'Amelia/work.zip/drafts.zip/essay.docx',
    ]);
    expect(input.attachedTexts?.map((text) => text.name)).toEqual([
      'coursework.zip: readme.txt',
      'coursework.zip: Amelia/work.zip/drafts.zip/note.txt',
      'coursework.zip: Amelia/work.zip/drafts.zip/essay.docx',
    ]);
    expect(input.problems).toBeUndefined();
    const verdict = classify(input, rules, { recipientClass: 'pupil', organisation });
    expect(verdict.action).toBe('hold');
    const finding = verdict.findings.find((f) => f.text.includes('07700 900123'));
    expect(verdict.parts[finding!.partIndex]?.name).toBe('coursework.zip: Amelia/work.zip/drafts.zip/note.txt');
  });

  it(`holds an archive nested more than ${MAX_ARCHIVE_DEPTH} deep, unread, saying why`, async () => {
    let nest = pack({ 'note.txt': strToU8(FLAGGED) });
    for (let level = 0; level < 5; level++) nest = pack({ [`level${level}.zip`]: nest });
    const input = await parseMime(await mailWithAttachment('pack.zip', nest));
    expect(input.attachedTexts).toBeUndefined();
    expect(input.problems).toEqual([
      `The attachment "pack.zip" could only be partly read: 1 archives in it are nested more than ${MAX_ARCHIVE_DEPTH} deep and were not opened.`,
    ]);
    expect(classify(input, rules, { recipientClass: 'pupil', organisation }).action).toBe('hold');
  });

  it("counts every level against one archive's bound, so a nest of bombs costs what one archive may", () => {
    const bomb = pack({ 'zeros.txt': new Uint8Array(20 * 1024 * 1024) });
    const nest = pack(
      Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [`part${i}.zip`, pack({ 'a.zip': bomb, 'b.zip': bomb })]),
      ),
    );
    const started = performance.now();
    const { files, problem } = archiveContents(nest, everything);
    expect(files.length * 20 * 1024 * 1024).toBeLessThanOrEqual(MAX_ARCHIVE_UNZIPPED_BYTES);
    expect(problem).toMatch(/of its files were too large to read/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('holds the whole attachment when an archive inside it is damaged or encrypted, naming it', () => {
    const locked = zipArchive([{ name: 'note.txt', data: Buffer.from(FLAGGED), password: 'secret' }]);
    expect(() => archiveContents(pack({ 'inner.zip': locked }), everything)).toThrow(UnreadableArchive);
    expect(() => archiveContents(pack({ 'inner.zip': locked }), everything)).toThrow(
      /inner\.zip in it: a file in it is password-protected/,
    );
    expect(() => archiveContents(pack({ 'inner.zip': strToU8('not a zip') }), everything)).toThrow(/inner\.zip in it/);
  });
});
