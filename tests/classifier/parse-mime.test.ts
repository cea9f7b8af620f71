import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMime } from '../../src/classifier/parse-mime.js';
import { extractParts } from '../../src/classifier/extract-parts.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/mime/${name}`, import.meta.url));

describe('parseMime on real MIME', () => {
  it('joins a quoted-printable soft line break so a number is not split', async () => {
    const message = await parseMime(fixture('qp-soft-break.eml'));
    expect(message.subject).toBe('Homework');
    expect(message.text).toContain('07700 900123');
    expect(message.html).toBeUndefined();
    expect(message.problems).toBeUndefined();
  });

  it('decodes a base64 text body', async () => {
    const message = await parseMime(fixture('base64-text.eml'));
    expect(message.text).toContain('Message me on WhatsApp if you want to chat: 07700 900456.');
  });

  it('keeps an HTML-only message as HTML, with no text made up from it', async () => {
    const message = await parseMime(fixture('html-only.eml'));
    expect(message.text).toBeUndefined();
    expect(message.html).toContain('<b>07700</b> 900789 – keep it between us.');
  });

  it('keeps both alternatives of multipart/alternative', async () => {
    const message = await parseMime(fixture('alternative.eml'));
    expect(message.text?.trim()).toBe('Rehearsal moves to Thursday. Add me on snap: mr.h_music');
    expect(message.html).toContain('<b>mr.h_music</b>');
  });

  it('lists attachment names, decoding RFC 2231 names', async () => {
    const message = await parseMime(fixture('attachments.eml'));
    expect(message.attachmentNames).toEqual(['worksheet-1.pdf', 'call me 07700 900321.pdf']);
    expect(message.text?.trim()).toBe('Worksheets attached for Monday.');
    expect(message.attachedTexts).toEqual([
      { name: 'worksheet-1.pdf', text: 'Worksheet 1: fractions' },
      { name: 'call me 07700 900321.pdf', text: 'Worksheet 2: decimals' },
    ]);
    expect(message.problems).toBeUndefined();
  });

  it('decodes ISO-8859-1 text and an encoded-word subject', async () => {
    const message = await parseMime(fixture('latin1.eml'));
    expect(message.subject).toBe('Café club');
    expect(message.text).toContain('The café club meets on Friday. Bring £2 for drinks.');
  });

  it('decodes windows-1252 curly quotes and dashes', async () => {
    const message = await parseMime(fixture('windows-1252.eml'));
    expect(message.text).toContain('Don’t tell your mum about Saturday – it’s our secret.');
  });

  it('accepts a string as well as a buffer', async () => {
    const message = await parseMime(fixture('latin1.eml').toString('latin1'));
    expect(message.subject).toBe('Café club');
  });
});

describe('parseMime then extractParts on replies', () => {
  it('puts the pupil’s words in an Outlook reply in quoted parts, text and HTML alike', async () => {
    const parts = extractParts(await parseMime(fixture('outlook-reply.eml')));
    const screened = parts.filter((p) => p.kind !== 'quoted').map((p) => p.text);
    const quoted = parts.filter((p) => p.kind === 'quoted').map((p) => p.text);
    expect(screened.join('\n')).not.toContain('07700 900654');
    expect(screened.join('\n')).not.toContain('jo_b2009');
    expect(quoted).toHaveLength(2);
    for (const text of quoted) expect(text).toContain('07700 900654');
    expect(parts.find((p) => p.kind === 'signature' && p.source === 'text')?.text).toBe(
      'Mr Hughes\nHead of Year 9\nOakfield School\n01632 960000',
    );
  });

  it('puts the pupil’s words in a Gmail reply in quoted parts and finds the signature', async () => {
    const parts = extractParts(await parseMime(fixture('gmail-reply.eml')));
    expect(parts.map((p) => `${p.kind}/${p.source}`)).toEqual([
      'subject/subject',
      'body/text',
      'signature/text',
      'quoted/text',
      'html/html',
      'signature/html',
      'quoted/html',
    ]);
    const screened = parts
      .filter((p) => p.kind !== 'quoted')
      .map((p) => p.text)
      .join('\n');
    expect(screened).not.toContain('07700 900987');
  });

  it('keeps the school number of a signature in the signature part', async () => {
    const parts = extractParts(await parseMime(fixture('signature-school-number.eml')));
    const signature = parts.find((p) => p.kind === 'signature');
    expect(signature?.text).toBe(
      'Mr Hughes\nHead of Year 9\nOakfield School, 1 School Lane, Anytown AB1 2CD\nTel: 01632 960000',
    );
    expect(parts.find((p) => p.kind === 'body')?.text).not.toContain('01632');
  });
});
