// The text of an attached PDF as a reader sees it (pages in order, words and lines as laid out) and the addresses
// its links point to, read with Mozilla's pdf.js. pdf.js is loaded the first time a PDF arrives (it is several
// megabytes), runs in the screening thread with font code evaluation off, and a PDF that keeps it busy too long is
// caught by the screening watchdog (the message is held). What its streams decode to is bounded before pdf.js
// opens it (pdf-streams.ts): pdf.js keeps all it decodes, outside the heap limit the screening thread runs under.

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_CHARS,
  tooLong,
  UnreadableDocument,
  type DocumentText,
} from './document-text.js';
import { pdfStreamsProblem } from './pdf-streams.js';

/** Pages read from one PDF; a longer one is read to here and the rest reported. */
export const MAX_PDF_PAGES = 300;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** pdf.js's character maps, which turn the codes of CJK and other CID fonts into text. */
function characterMapsUrl(): string {
  const pkg = createRequire(import.meta.url).resolve('pdfjs-dist/package.json');
  return `${pathToFileURL(path.join(path.dirname(pkg), 'cmaps')).href}/`;
}

interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
  height: number;
}

/**
 * The text of a PDF. Throws UnreadableDocument for one that cannot be opened: password-protected, damaged, or not
 * a PDF at all.
 */
export async function pdfText(bytes: Uint8Array): Promise<DocumentText> {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new UnreadableDocument(`it is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`);
  }
  const problem = pdfStreamsProblem(bytes);
  if (problem !== undefined) throw new UnreadableDocument(problem);
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  let getDocument: PdfJs['getDocument'];
  try {
    ({ getDocument } = await pdfjs);
  } catch (error) {
    pdfjs = undefined;
    throw new UnreadableDocument(`PDF reading could not start (${error instanceof Error ? error.message : error})`);
  }
  const task = getDocument({
    // pdf.js takes the buffer over (detaches it): it gets a copy, so the message keeps its bytes.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapUrl: characterMapsUrl(),
    cMapPacked: true,
    verbosity: 0,
  });
  let document: Awaited<typeof task.promise>;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy();
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') throw new UnreadableDocument('it is password-protected');
    throw new UnreadableDocument(`its contents are damaged (${error instanceof Error ? error.message : error})`);
  }
  try {
    const pages: string[] = [];
    let length = 0;
    const last = Math.min(document.numPages, MAX_PDF_PAGES);
    let number = 1;
    // One character past the bound is read, so that a text cut to it is told from one that ends there.
    for (; number <= last && length <= MAX_DOCUMENT_CHARS; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const links = (await page.getAnnotations())
        .map((annotation: { url?: unknown; unsafeUrl?: unknown }) => annotation.url ?? annotation.unsafeUrl)
        .filter((url: unknown): url is string => typeof url === 'string');
      const text = [laidOut(content.items as TextItem[]), ...links].join('\n');
      page.cleanup();
      pages.push(text);
      length += text.length + 2;
    }
    let text = pages.join('\n\n');
    // Pages left unread for length: what they hold was not screened.
    let cut = number <= last;
    if (text.length > MAX_DOCUMENT_CHARS) {
      text = text.slice(0, MAX_DOCUMENT_CHARS);
      cut = true;
    }
    const problems = [
      ...(document.numPages > MAX_PDF_PAGES
        ? [`it has ${document.numPages} pages and only the first ${MAX_PDF_PAGES} were read`]
        : []),
      ...(cut ? [tooLong()] : []),
    ];
    return problems.length > 0 ? { text, problem: problems.join('; ') } : { text };
  } catch (error) {
    // A page pdf.js cannot read: the document as a whole is then not read (and the message is held).
    throw new UnreadableDocument(`a page could not be read (${error instanceof Error ? error.message : error})`);
  } finally {
    await document.destroy();
  }
}

/**
 * A page's text items joined as they sit on the page: pdf.js gives runs of text with their positions, and a PDF
 * often leaves out the space between two runs, so a gap wider than a fifth of the font size reads as a space and
 * a move to another baseline as a new line.
 */
function laidOut(items: readonly TextItem[]): string {
  let text = '';
  let previous: { end: number; y: number; size: number; eol: boolean } | undefined;
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    const size = Math.abs(item.height) || Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) || 1;
    if (previous !== undefined && !previous.eol && item.str !== '') {
      if (Math.abs(y - previous.y) > previous.size / 2) text += '\n';
      else if (x - previous.end > size / 5 && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
    }
    text += item.str;
    if (item.hasEOL) text += '\n';
    previous = { end: x + item.width, y, size, eol: item.hasEOL };
  }
  return text;
}
