import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMime, quoteAsText } from '../../src/eval/build-mime.js';
import { corpusRecordSchema, type CorpusRecordInput } from '../../src/eval/corpus-record.js';

const BODY = 'Dear Priya,\n\nThe café trip costs £12.50 – please pay by Friday.\n\nBest wishes,\nMr Okafor\n';

function record(fields: Partial<CorpusRecordInput>) {
  return corpusRecordSchema.parse({
    id: 'mime-test',
    expect: [],
    note: 'MIME builder test',
    subject: 'Café trip',
    body: BODY,
    ...fields,
  });
}

function headerBlock(raw: Buffer): string {
  return raw.toString('latin1');
}

async function parse(raw: Buffer) {
  return simpleParser(raw);
}

describe('buildMime', () => {
  it('writes quoted-printable text when the record asks for it, and it parses back to the same text', async () => {
    const raw = await buildMime(record({ encoding: 'quoted-printable' }));
    expect(headerBlock(raw)).toMatch(/Content-Transfer-Encoding: quoted-printable/i);
    expect(headerBlock(raw)).toContain('=C2=A3');
    expect((await parse(raw)).text?.trim()).toBe(BODY.trim());
  });

  it('writes base64 text even for a short ASCII body', async () => {
    const raw = await buildMime(
      record({ encoding: 'base64', body: 'Hello Sam,\nSee you at the gate at 8am.\nMr Okafor' }),
    );
    expect(headerBlock(raw)).toMatch(/Content-Transfer-Encoding: base64/i);
    expect(headerBlock(raw)).not.toContain('See you at the gate');
    expect((await parse(raw)).text?.trim()).toBe('Hello Sam,\nSee you at the gate at 8am.\nMr Okafor');
  });

  it('writes an HTML-only message with no text/plain part', async () => {
    const raw = await buildMime(record({ encoding: 'html' }));
    const text = headerBlock(raw);
    expect(text).toMatch(/Content-Type: text\/html/i);
    expect(text).not.toMatch(/Content-Type: text\/plain/i);
    const parsed = await parse(raw);
    expect(parsed.html).toContain('<p>Dear Priya,</p>');
    expect(parsed.html).toContain('£12.50');
  });

  it('writes multipart/alternative with both a text and an HTML part', async () => {
    const raw = await buildMime(
      record({ encoding: 'alternative', html: '<p>Dear Priya,</p><p>The café trip costs £12.50.</p>' }),
    );
    expect(headerBlock(raw)).toMatch(/Content-Type: multipart\/alternative/i);
    const parsed = await parse(raw);
    expect(parsed.text?.trim()).toBe(BODY.trim());
    expect(parsed.html).toContain('The café trip costs £12.50.');
  });

  it('writes ISO-8859-1 bytes with that charset, and they decode back to the same text', async () => {
    const raw = await buildMime(record({ encoding: 'latin1', body: 'Dear Zoë,\nThe trip costs £12.50.\nMr Okafor' }));
    expect(headerBlock(raw)).toMatch(/charset=iso-8859-1/i);
    expect(headerBlock(raw)).toContain('Zo=EB');
    expect(headerBlock(raw)).toContain('=A312.50');
    expect((await parse(raw)).text?.trim()).toBe('Dear Zoë,\nThe trip costs £12.50.\nMr Okafor');
  });

  it('writes windows-1252 bytes for curly quotes, dashes and the euro sign', async () => {
    const body = 'Dear Mr O’Neill,\nThe exchange costs €80 – “all in”.\nMrs Hughes';
    const raw = await buildMime(record({ encoding: 'windows-1252', body }));
    expect(headerBlock(raw)).toMatch(/charset=windows-1252/i);
    expect(headerBlock(raw)).toContain('O=92Neill');
    expect(headerBlock(raw)).toContain('=8080');
    expect((await parse(raw)).text?.trim()).toBe(body);
  });

  it('refuses text a legacy charset cannot carry, naming the character', async () => {
    await expect(buildMime(record({ encoding: 'latin1', body: 'Well done 👍' }))).rejects.toThrow(/👍.*iso-8859-1/);
  });

  it('adds the listed attachments with their file names', async () => {
    const raw = await buildMime(
      record({ encoding: 'attachment', attachments: [{ filename: 'permission-slip.txt', content: 'Signed: ____' }] }),
    );
    expect(headerBlock(raw)).toMatch(/Content-Type: multipart\/mixed/i);
    const parsed = await parse(raw);
    expect(parsed.attachments.map((attachment) => attachment.filename)).toEqual(['permission-slip.txt']);
    expect(parsed.attachments[0]?.content.toString('utf8')).toBe('Signed: ____');
    expect(parsed.text?.trim()).toBe(BODY.trim());
  });

  it('quotes the earlier message under an "On ... wrote:" line with "> " prefixes, and as a blockquote in HTML', async () => {
    const quoted = 'sir can i hand it in monday\n\nthanks';
    const plain = await parse(await buildMime(record({ quoted })));
    expect(plain.text).toContain(quoteAsText(quoted, 'Oakfield pupil <pupil@pupils.oakfield.sch.uk>'));
    expect(plain.text).toMatch(
      /On Mon, 10 Mar 2025 at 08:12, Oakfield pupil <pupil@pupils\.oakfield\.sch\.uk> wrote:\n> sir can i hand it in monday\n>\n> thanks/,
    );
    const html = await parse(await buildMime(record({ quoted, encoding: 'alternative' })));
    expect(html.html).toMatch(/<blockquote[^>]*>\s*<p>sir can i hand it in monday<\/p>/);
  });

  it('builds the same bytes every time, so a changed result always means a changed engine', async () => {
    const first = await buildMime(record({ encoding: 'alternative' }));
    const second = await buildMime(record({ encoding: 'alternative' }));
    expect(second.equals(first)).toBe(true);
  });
});
