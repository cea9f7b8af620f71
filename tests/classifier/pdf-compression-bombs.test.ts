// PDFs whose streams decode to far more than they weigh (compression bombs): pdf.js keeps all it decodes outside the
// heap a screening thread is limited to, so they are measured before it opens them and held past the bound. Real
// PDF bytes, compressed with zlib, LZW and run-length coding as a PDF writer would.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UnreadableDocument } from '../../src/classifier/document-text.js';
import { flateSize } from '../../src/classifier/pdf-flate-size.js';
import { MAX_PDF_DECODED_BYTES } from '../../src/classifier/pdf-streams.js';
import { pdfText } from '../../src/classifier/pdf-text.js';
import { pdfDocument, pdfTextOperators, pdfWithContentStream } from '../fixtures/documents.js';

const TOO_LARGE = /expand to more than 64 MB when decompressed/;
/** Content just past the bound: spaces after a line of text, as a bomb pads its stream. */
const padded = () =>
  Buffer.concat([Buffer.from(pdfTextOperators(['Hello'])), Buffer.alloc(MAX_PDF_DECODED_BYTES, 0x20)]);

/** LZW codes packed as pdf.js's LZWStream reads them: most significant bit first, 9 to 12 bits as its table grows. */
function lzw(codes: number[]): Buffer {
  const out: number[] = [];
  let accumulator = 0;
  let bits = 0;
  let width = 9;
  let next = 258;
  codes.forEach((code, i) => {
    accumulator = (accumulator << width) | code;
    bits += width;
    while (bits >= 8) {
      bits -= 8;
      out.push((accumulator >>> bits) & 0xff);
    }
    accumulator &= (1 << bits) - 1;
    // Every code after the first adds an entry to the table (EarlyChange 1: the width grows one code early).
    if (i > 0) {
      next++;
      if (((next + 1) & next) === 0) width = Math.min(Math.log2(next + 1) + 1, 12);
    }
  });
  if (bits > 0) out.push((accumulator << (8 - bits)) & 0xff);
  return Buffer.from(out);
}

/** DEFLATE bits, first bit lowest, for hand-made blocks. */
function deflateBits(fields: [value: number, bits: number][]): Buffer {
  const out: number[] = [];
  let accumulator = 0;
  let count = 0;
  for (const [value, bits] of fields) {
    accumulator |= value << count;
    count += bits;
    while (count >= 8) {
      out.push(accumulator & 0xff);
      accumulator >>>= 8;
      count -= 8;
    }
  }
  if (count > 0) out.push(accumulator & 0xff);
  return Buffer.from(out);
}

describe('PDF compression bombs', () => {
  it('still reads a PDF whose pages are compressed, as PDF writers make them', async () => {
    const pdf = pdfDocument({ pages: [['Year 9 trip'], ['Ring me on 07700 900123']], compressed: true });
    expect((await pdfText(pdf)).text).toBe('Year 9 trip\n\nRing me on 07700 900123');
  });

  it('holds a PDF whose one content stream inflates past 64 MB, without inflating it', async () => {
    const pdf = pdfWithContentStream(deflateSync(padded()), '/Filter /FlateDecode');
    expect(pdf.length).toBeLessThan(MAX_PDF_DECODED_BYTES / 500);
    const started = performance.now();
    await expect(pdfText(pdf)).rejects.toThrow(UnreadableDocument);
    await expect(pdfText(pdf)).rejects.toThrow(TOO_LARGE);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('counts a stream to where its compression ends, whatever its /Length says', async () => {
    // pdf.js finds no endstream 10 bytes in, so it searches for one and reads the whole stream.
    const pdf = pdfWithContentStream(deflateSync(padded()), '/Length 10 /Filter /FlateDecode');
    await expect(pdfText(pdf)).rejects.toThrow(TOO_LARGE);
  });

  it('follows a bomb behind an ASCII layer', async () => {
    const hex = Buffer.from(`${deflateSync(padded()).toString('hex')}>`);
    await expect(pdfText(pdfWithContentStream(hex, '/Filter [/ASCIIHexDecode /FlateDecode]'))).rejects.toThrow(
      TOO_LARGE,
    );
    // Filter names may be written with #xx escapes; pdf.js decodes them.
    await expect(pdfText(pdfWithContentStream(hex, '/Filter [/AHx /Fl#61teDecode]'))).rejects.toThrow(TOO_LARGE);
  });

  it('holds an LZW stream whose codes repeat their longest string', async () => {
    // 'A', then each code the one being defined (a string one longer each time), then the longest, again and again.
    const codes = [65];
    for (let code = 258; code < 4096; code++) codes.push(code);
    for (let i = 0; i < MAX_PDF_DECODED_BYTES / 3800; i++) codes.push(4095);
    const data = lzw(codes);
    expect(data.length).toBeLessThan(64 * 1024);
    await expect(pdfText(pdfWithContentStream(data, '/Filter /LZWDecode'))).rejects.toThrow(TOO_LARGE);
  });

  it('holds a run-length stream past the bound (two bytes make 128)', async () => {
    const runs = Buffer.alloc((MAX_PDF_DECODED_BYTES / 128 + 1) * 2);
    for (let i = 0; i < runs.length; i += 2) runs[i] = 129;
    await expect(pdfText(pdfWithContentStream(runs, '/Filter /RunLengthDecode'))).rejects.toThrow(TOO_LARGE);
  });

  it('holds a tiny stream whose predictor names a row wider than the bound (pdf.js allocates the row)', async () => {
    const data = deflateSync(Buffer.from(pdfTextOperators(['Hello'])));
    const parameters = `/DecodeParms << /Predictor 12 /Columns ${MAX_PDF_DECODED_BYTES + 1} >>`;
    await expect(pdfText(pdfWithContentStream(data, `/Filter /FlateDecode ${parameters}`))).rejects.toThrow(TOO_LARGE);
  });

  for (const encryption of ['rc4-128', 'aes-128', 'aes-256'] as const) {
    it(`reads a PDF encrypted (${encryption}) only against printing, and measures its decrypted streams`, async () => {
      const content = (extra: Buffer) =>
        deflateSync(Buffer.concat([Buffer.from(pdfTextOperators(['Ring me on 07700 900123'])), extra]));
      const readable = pdfWithContentStream(content(Buffer.alloc(0)), '/Filter /FlateDecode', encryption);
      expect((await pdfText(readable)).text).toBe('Ring me on 07700 900123');
      const bomb = pdfWithContentStream(
        content(Buffer.alloc(MAX_PDF_DECODED_BYTES, 0x20)),
        '/Filter /FlateDecode',
        encryption,
      );
      await expect(pdfText(bomb)).rejects.toThrow(TOO_LARGE);
    });
  }

  it('holds a stream compressed twice, whose second layer is not followed', async () => {
    const twice = deflateSync(deflateSync(Buffer.from(pdfTextOperators(['Hello']))));
    await expect(pdfText(pdfWithContentStream(twice, '/Filter [/FlateDecode /FlateDecode]'))).rejects.toThrow(
      /compressed in a way that is not checked/,
    );
  });

  it('holds a stream whose codes no valid DEFLATE stream has, which pdf.js would read unpredictably', async () => {
    // A dynamic block whose code length codes are all one bit long: 19 codes for 2 patterns.
    const header = [0x78, 0x9c];
    const block = deflateBits([[1, 1], [2, 2], [0, 5], [0, 5], [15, 4], ...new Array(19).fill([1, 3])]);
    const pdf = pdfWithContentStream(Buffer.from([...header, ...block]), '/Filter /FlateDecode');
    await expect(pdfText(pdf)).rejects.toThrow(/its contents are damaged/);
  });
});

describe('flateSize', () => {
  it('counts what zlib inflates, for stored, fixed and dynamic blocks', () => {
    const inputs = [
      Buffer.alloc(0),
      Buffer.from('Mr Morgan, 07700 900123'),
      Buffer.from('the quick brown fox jumps over the lazy dog '.repeat(5000)),
      Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * i + 7 * i) % 251)),
    ];
    for (const input of inputs) {
      for (const level of [0, 1, 6, 9]) {
        const compressed = deflateSync(input, { level });
        const { size, end, outcome } = flateSize(compressed, 2, Infinity);
        expect({ size, outcome }).toEqual({ size: input.length, outcome: 'complete' });
        // It ends at the checksum after the data, give or take the bytes pdf.js buffers ahead.
        expect(end).toBeGreaterThanOrEqual(compressed.length - 4);
        expect(end).toBeLessThanOrEqual(compressed.length);
      }
    }
  });

  it('stops just past its limit, having read only what that took', () => {
    const bomb = deflateSync(Buffer.alloc(256 * 1024 * 1024));
    const { size, end, outcome } = flateSize(bomb, 2, 1024 * 1024);
    expect(outcome).toBe('over-limit');
    expect(size).toBeLessThan(1024 * 1024 + 300);
    expect(end).toBeLessThan(bomb.length / 100);
  });
});
