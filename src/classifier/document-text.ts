// The text of the office documents staff attach to mail (Word, Excel and PowerPoint files and their OpenDocument
// counterparts), read as the program opening them would show it, so a personal number on a worksheet is screened
// like one in the body. Both kinds of file are ZIP archives of XML: the parts that hold what a reader sees (the
// document, headers, footers, notes, comments, cells, slides) are unzipped with fflate and their text read with
// htmlparser2. Links that are not shown as text (a hyperlink's target) are read too. PDF is read by pdf-text.ts;
// legacy binary Office files (.doc, .xls, .ppt) are not read, though their names are still screened.

import { UnreadableDocument } from './unreadable-document.js';
import { readXml } from './xml-reader.js';
import { DocumentPackage, officeTextParts, type TextParts } from './office-package.js';
import { DamagedZip, zipEntries } from './zip-archive.js';

export type DocumentKind = 'word' | 'spreadsheet' | 'presentation' | 'opendocument' | 'pdf';
/** The kinds read here; a PDF is read by pdf-text.ts. */
export type ZippedDocumentKind = Exclude<DocumentKind, 'pdf'>;

/** A document this large (as attached) is not opened: reading it would cost more than the rest of the message. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;
/**
 * Unzipped XML read from one document: bounds a ZIP bomb (declared sizes are checked before anything inflates, and a
 * part is never inflated past its declared size).
 */
export const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024;
/** XML parts read from one document: a presentation has one per slide. */
export const MAX_DOCUMENT_PARTS = 2000;
/** Characters of text kept from one document; the message's attachment budget cuts it further. */
export const MAX_DOCUMENT_CHARS = 1_000_000;

const MEDIA_TYPES: Readonly<Record<string, DocumentKind>> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template': 'word',
  'application/vnd.ms-word.document.macroenabled.12': 'word',
  'application/vnd.ms-word.template.macroenabled.12': 'word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template': 'spreadsheet',
  'application/vnd.ms-excel.sheet.macroenabled.12': 'spreadsheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.slideshow': 'presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.template': 'presentation',
  'application/vnd.ms-powerpoint.presentation.macroenabled.12': 'presentation',
  'application/vnd.oasis.opendocument.text': 'opendocument',
  'application/vnd.oasis.opendocument.spreadsheet': 'opendocument',
  'application/vnd.oasis.opendocument.presentation': 'opendocument',
  'application/vnd.oasis.opendocument.graphics': 'opendocument',
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
};

const EXTENSIONS: Readonly<Record<string, DocumentKind>> = {
  docx: 'word',
  docm: 'word',
  dotx: 'word',
  xlsx: 'spreadsheet',
  xlsm: 'spreadsheet',
  xltx: 'spreadsheet',
  pptx: 'presentation',
  pptm: 'presentation',
  ppsx: 'presentation',
  potx: 'presentation',
  odt: 'opendocument',
  ods: 'opendocument',
  odp: 'opendocument',
  odg: 'opendocument',
  pdf: 'pdf',
};

/**
 * The kind of document an attachment is, by its media type or, since mail programs often send documents as
 * application/octet-stream, by its file name; undefined for anything else.
 */
export function documentKind(mediaType: string, filename: string | undefined): DocumentKind | undefined {
  const byType = MEDIA_TYPES[mediaType.toLowerCase()];
  if (byType !== undefined) return byType;
  const extension = /\.([a-z]{3,4})$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  return extension === undefined ? undefined : EXTENSIONS[extension];
}

/** What reading a document found: its text, and what could not be read (for the message's problems). */
export interface DocumentText {
  text: string;
  problem?: string;
}

export { UnreadableDocument };

/**
 * The text of a document of `kind`, parts in reading order and separated by blank lines. Throws
 * UnreadableDocument when the bytes are not the ZIP archive every such document is: a password-protected Office
 * file is one (it is an encrypted container instead), as is a damaged or mislabelled one.
 */
export function documentText(bytes: Uint8Array, kind: ZippedDocumentKind): DocumentText {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new UnreadableDocument(`it is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`);
  }
  if (isEncryptedOffice(bytes)) throw new UnreadableDocument('it is password-protected');
  const format = FORMATS[kind];
  let pkg: DocumentPackage;
  try {
    pkg = new DocumentPackage(bytes, zipEntries(bytes), { maxBytes: MAX_UNZIPPED_BYTES, maxParts: MAX_DOCUMENT_PARTS });
  } catch (error) {
    if (error instanceof DamagedZip) throw new UnreadableDocument(`its contents are damaged (${error.message})`);
    throw error;
  }
  const found = format.shown === undefined ? openDocumentParts(pkg) : officeTextParts(pkg, format.shown, format.usual);
  const texts: string[] = [];
  let length = 0;
  let cut = false;
  for (const name of found.parts) {
    if (length > MAX_DOCUMENT_CHARS) {
      cut = true;
      break;
    }
    const part = pkg.read(name);
    if (part === undefined) continue;
    // One character past the bound is read, so that a text cut to it is told from one that ends there.
    const text = xmlText(decodeXml(part), format, MAX_DOCUMENT_CHARS + 1 - length);
    if (text.trim() === '') continue;
    texts.push(text);
    length += text.length + 2;
  }
  if (found.links.length > 0) texts.push(found.links.join('\n'));
  const skipped = pkg.skipped;
  let text = texts.join('\n\n');
  if (text.length > MAX_DOCUMENT_CHARS) {
    text = text.slice(0, MAX_DOCUMENT_CHARS);
    cut = true;
  }
  const problems = [
    ...(skipped > 0 ? [`${skipped} of its parts were too large or too many to read`] : []),
    ...(cut ? [tooLong()] : []),
  ];
  return problems.length > 0 ? { text, problem: problems.join('; ') } : { text };
}

/** The problem of a document whose text was cut at MAX_DOCUMENT_CHARS: what follows was not screened. */
export function tooLong(): string {
  const bound = MAX_DOCUMENT_CHARS.toLocaleString('en-GB');
  return `it has more than ${bound} characters of text, and only the first ${bound} were screened`;
}

/** An XML part's characters: UTF-8, or UTF-16 where a byte order mark says so (both are allowed in OOXML). */
function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

// ---- The formats ------------------------------------------------------------------------------------------------

interface XmlFormat {
  /** Office: the kinds of relationship (type's last segment) that lead from the main part to parts a reader sees. */
  shown?: ReadonlySet<string>;
  /** Office: those parts' usual names, for a package without relationships. */
  usual: RegExp;
  /** Elements (local names) whose content is text; everything outside them is structure. */
  text: ReadonlySet<string>;
  /** What an element stands for where it closes (a paragraph ends a line, a cell is followed by a tab). */
  closes: Readonly<Record<string, string>>;
  /** What an empty element stands for (a tab, a line break). */
  empties: Readonly<Record<string, string>>;
  /** OpenDocument's run of spaces: an element whose c attribute says how many. */
  spaces?: string;
}

const FORMATS: Readonly<Record<ZippedDocumentKind, XmlFormat>> = {
  word: {
    shown: new Set(['header', 'footer', 'footnotes', 'endnotes', 'comments']),
    usual: /^word\/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/i,
    // t: a run's text; delText: tracked deletions (shown in review); instrText: field codes (HYPERLINK "...").
    text: new Set(['t', 'delText', 'instrText']),
    closes: { p: '\n', tc: '\t', tr: '\n' },
    empties: { tab: '\t', br: '\n', cr: '\n' },
  },
  spreadsheet: {
    shown: new Set(['worksheet', 'sharedStrings', 'comments', 'threadedComment']),
    usual: /^xl\/(sharedStrings|worksheets\/sheet\d+|comments\d*|threadedComments\/threadedComment\d+)\.xml$/i,
    // t: shared and inline strings and comments; v: a cell's value (numbers: a phone number is often one).
    text: new Set(['t', 'v', 'text']),
    closes: { si: '\n', c: '\t', row: '\n', comment: '\n' },
    empties: {},
  },
  presentation: {
    shown: new Set(['slide', 'notesSlide', 'comments']),
    usual:
      /^ppt\/(slides\/slide\d+|notesSlides\/notesSlide\d+|comments\/comment\d+|comments\/modernComment[^/]*)\.xml$/i,
    text: new Set(['t', 'text']),
    closes: { p: '\n', tc: '\t', tr: '\n', cm: '\n' },
    empties: { br: '\n', tab: '\t' },
  },
  opendocument: {
    usual: /^(content|styles)\.xml$/,
    text: new Set(['p', 'h']),
    closes: { p: '\n', h: '\n', 'table-cell': '\t', 'table-row': '\n' },
    empties: { tab: '\t', 'line-break': '\n' },
    spaces: 's',
  },
};

/** An OpenDocument file's text: content.xml has the body, styles.xml the page headers and footers. */
function openDocumentParts(pkg: DocumentPackage): TextParts {
  const content = pkg.find('content.xml');
  if (content === undefined) throw new UnreadableDocument('none of its text could be found');
  const styles = pkg.find('styles.xml');
  return { parts: styles === undefined ? [content] : [content, styles], links: [] };
}

// ---- Reading the XML --------------------------------------------------------------------------------------------

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The text of one XML part as `format` reads it, stopped once past `limit` characters. */
function xmlText(xml: string, format: XmlFormat, limit: number): string {
  const out: string[] = [];
  let inText = 0;
  /** Inside a spreadsheet cell whose value is an index into the shared strings (read from sharedStrings). */
  let sharedCell = false;
  let length = 0;
  const push = (text: string) => {
    if (length >= limit) return;
    out.push(text);
    length += text.length;
  };
  readXml(xml, {
    onopentag(name, attributes) {
      const local = localName(name);
      if (local === 'c') sharedCell = attributes['t'] === 's';
      if (format.text.has(local)) inText++;
      if (local === format.spaces && inText > 0)
        push(' '.repeat(Math.min(100, Number(attributes['text:c'] ?? 1) || 1)));
      const href = attributes['xlink:href'];
      if (href !== undefined && /^(mailto:|https?:|www\.)/i.test(href)) push(` ${href} `);
    },
    ontext(text) {
      if (inText > 0 && !sharedCell) push(text);
    },
    onclosetag(name) {
      const local = localName(name);
      if (format.text.has(local)) inText = Math.max(0, inText - 1);
      if (local === 'c') sharedCell = false;
      const ends = format.empties[local] ?? format.closes[local];
      // A cell's last paragraph ends the cell, not a line: the row reads "name<tab>number".
      if (ends === '\t' && out[out.length - 1] === '\n' && format.closes[local] === '\t') out[out.length - 1] = '\t';
      else if (ends !== undefined) push(ends);
    },
  });
  return out.join('');
}

/** An encrypted Office file is a Compound File (OLE2) container, not a ZIP archive: its signature is D0 CF 11 E0. */
function isEncryptedOffice(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}
