import { describe, expect, it } from 'vitest';
import { UnreadableDocument } from '../../src/classifier/document-text.js';
import { pdfText } from '../../src/classifier/pdf-text.js';
import { pdfDocument } from '../fixtures/documents.js';

describe('pdfText', () => {
  it('reads the lines of each page, pages in order', async () => {
    const pdf = pdfDocument({ pages: [['Year 9 trip', 'Coach leaves at 8'], ['Page two: ring me on 07700 900123']] });
    const { text, problem } = await pdfText(pdf);
    expect(problem).toBeUndefined();
    expect(text).toBe('Year 9 trip\nCoach leaves at 8\n\nPage two: ring me on 07700 900123');
  });

  it('reads where its links point, which the page does not show as text', async () => {
    const pdf = pdfDocument({ pages: [['Revision notes']], links: ['https://www.instagram.com/mr.morgan.pe/'] });
    expect((await pdfText(pdf)).text).toBe('Revision notes\nhttps://www.instagram.com/mr.morgan.pe/');
  });

  it('leaves the bytes it was given intact (pdf.js takes over only a copy)', async () => {
    const pdf = pdfDocument({ pages: [['Hello']] });
    const copy = Buffer.from(pdf);
    await pdfText(pdf);
    expect(pdf.equals(copy)).toBe(true);
  });

  it('says a password-protected PDF cannot be read', async () => {
    const pdf = pdfDocument({ pages: [['Marks']], password: true });
    await expect(pdfText(pdf)).rejects.toThrow(UnreadableDocument);
    await expect(pdfText(pdf)).rejects.toThrow(/password-protected/);
  });

  it('says a file that is not a PDF cannot be read rather than passing it as empty', async () => {
    await expect(pdfText(Buffer.from('%PDF-1.4\n% not a real pdf\n'))).rejects.toThrow(/damaged/);
  });
});
