// ZIP archives (attached, or Office documents) whose headers lie about what they hold: each is damaged or encrypted,
// so the message is held; and archives as real writers make them (data descriptors, ZIP64 fields) still read.
import { describe, expect, it } from 'vitest';
import { archiveContents, UnreadableArchive } from '../../src/classifier/archive-entries.js';
import { documentText } from '../../src/classifier/document-text.js';
import { parseMime } from '../../src/classifier/index.js';
import { zipArchive, type ZipFile } from '../fixtures/zip-archives.js';
import { mailWithAttachment } from '../fixtures/attachment-mail.js';

const NOTE = Buffer.from(
  'Hello, homework attached.\nText me on my personal mobile 07700 900123, keep it our secret.\n',
);
const everything = () => true;
const read = (files: ZipFile[], options?: { declaredCount?: number }) =>
  archiveContents(zipArchive(files, options), everything);

describe('ZIP archives whose headers lie', () => {
  it('holds a password-protected file stored without compression, not reading its ciphertext as text', async () => {
    const zip = zipArchive([{ name: 'note.txt', data: NOTE, method: 0, password: 'secret' }]);
    expect(() => archiveContents(zip, everything)).toThrow(UnreadableArchive);
    expect(() => archiveContents(zip, everything)).toThrow(/password-protected/);
    const input = await parseMime(await mailWithAttachment('pack.zip', zip));
    expect(input.attachedTexts).toBeUndefined();
    expect(input.problems).toEqual([expect.stringMatching(/^The attachment "pack\.zip" could not be opened/)]);
  });

  it('holds a file whose header claims fewer bytes than it holds, rather than reading only those', () => {
    expect(() => read([{ name: 'note.txt', data: NOTE, declaredSize: 26 }])).toThrow(/larger than its header says/);
    expect(() => read([{ name: 'note.txt', data: NOTE, method: 0, declaredSize: 26 }])).toThrow(UnreadableArchive);
  });

  it('holds an archive whose directory claims no files while it holds some', () => {
    expect(() => read([{ name: 'note.txt', data: NOTE }], { declaredCount: 0 })).toThrow(
      /its directory does not match its contents/,
    );
  });

  it('holds a file claiming 10 bytes that inflates to 256 MB, inflating no more than a little past 10', () => {
    const bomb: ZipFile = { name: 'note.txt', data: Buffer.alloc(256 * 1024 * 1024), declaredSize: 10 };
    const zip = zipArchive([bomb]);
    const started = performance.now();
    expect(() => archiveContents(zip, everything)).toThrow(/larger than its header says/);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('holds a file whose checksum does not match', () => {
    expect(() => read([{ name: 'note.txt', data: NOTE, declaredCrc: 0x12345678 }])).toThrow(
      /does not match its checksum/,
    );
  });

  it('holds an archive whose local header names another file than its directory does', () => {
    const zip = zipArchive([{ name: 'note.txt', data: NOTE }]);
    zip.write('n0te.txt', 30, 'latin1');
    expect(() => archiveContents(zip, everything)).toThrow(/does not match its directory/);
  });

  it('holds a file whose compressed data is damaged', () => {
    const zip = zipArchive([{ name: 'note.txt', data: Buffer.from('x'.repeat(1000)) }]);
    zip.fill(0xff, 40, 44);
    expect(() => archiveContents(zip, everything)).toThrow(UnreadableArchive);
  });

  it('holds a Word document with an encrypted part, or a part that lies about its size', () => {
    const document = (file: Partial<ZipFile>) =>
      zipArchive([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'word/document.xml', data: Buffer.from(`<w:document><w:t>${NOTE}</w:t></w:document>`), ...file },
      ]);
    expect(() => documentText(document({ method: 0, password: 'secret' }), 'word')).toThrow(/password-protected/);
    expect(() => documentText(document({ declaredSize: 20 }), 'word')).toThrow(/its contents are damaged/);
  });
});

describe('ZIP archives as writers make them', () => {
  it('reads files whose sizes follow their data (data descriptors), and ZIP64 fields', () => {
    const { files } = read([
      { name: 'a.txt', data: NOTE, dataDescriptor: true },
      { name: 'b.txt', data: NOTE, zip64: true },
      { name: 'c.txt', data: NOTE, zip64: true, dataDescriptor: true, method: 0 },
    ]);
    expect(files.map((file) => [file.name, Buffer.from(file.bytes).toString()])).toEqual([
      ['a.txt', NOTE.toString()],
      ['b.txt', NOTE.toString()],
      ['c.txt', NOTE.toString()],
    ]);
  });

  it('reads an empty file, stored or deflated', () => {
    const { files } = read([
      { name: 'empty.txt', data: Buffer.alloc(0), method: 0 },
      { name: 'also-empty.txt', data: Buffer.alloc(0) },
    ]);
    expect(files.map((file) => file.bytes.length)).toEqual([0, 0]);
  });
});
