// Reads an MIS export (SIMS, Arbor, Bromcom... saved as CSV) into directory entries: e-mail, name, optional year group.
// The header row may list the columns in any order and case; the e-mail column is required, the others are optional.

export interface DirectoryEntry {
  address: string;
  name?: string;
  yearGroup?: string;
}

export interface CsvReadResult {
  entries: DirectoryEntry[];
  /** Rows skipped because they held no usable address, as `file:line: reason`, at most MAX_REPORTED_SKIPS of them. */
  skipped: string[];
  skippedCount: number;
}

/** A CSV the relay cannot use at all; the message names the file and line and says what to fix. */
export class DirectoryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryFileError';
  }
}

/** A whole-school export of a very large trust is well under this; anything bigger is not a directory export. */
export const MAX_CSV_BYTES = 64 * 1024 * 1024;
/** Bounds the rows read from one file (a very large trust has tens of thousands of pupils and parents). */
export const MAX_CSV_ROWS = 1_000_000;
/** One cell longer than this is not a name or an address; it is cut rather than kept in memory per row. */
const MAX_CELL_CHARS = 4096;
/** How many skipped rows are listed by line in the warning; the rest are only counted. */
const MAX_REPORTED_SKIPS = 10;

const EMAIL_HEADERS = ['email', 'emailaddress', 'mail', 'primaryemail', 'workemail', 'schoolemail'];
const NAME_HEADERS = ['name', 'fullname', 'displayname', 'preferredname', 'contactname', 'parentname'];
const FORENAME_HEADERS = ['forename', 'firstname', 'preferredforename', 'legalforename', 'givenname'];
const SURNAME_HEADERS = ['surname', 'lastname', 'legalsurname', 'preferredsurname', 'familyname'];
const YEAR_HEADERS = ['yeargroup', 'year', 'ncyear', 'yeargrp', 'nationalcurriculumyear', 'yr'];

/** RFC 5321 limits the path to 256 octets; a practical address check, not a full RFC 5322 parser. */
const ADDRESS =
  /^[^\s@<>(),;:"[\]]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

function headerKey(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function findColumn(keys: string[], wanted: readonly string[]): number {
  for (const name of wanted) {
    const index = keys.indexOf(name);
    if (index !== -1) return index;
  }
  return -1;
}

/** Picks the delimiter from the header row: MIS tools export comma, some locales semicolon, some tab. */
function detectDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t'].map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0] && counts[0].n > 0 ? counts[0].d : ',';
}

/** RFC 4180 records: quoted fields may hold delimiters, doubled quotes and line breaks. Yields [line number, cells]. */
function* records(text: string, delimiter: string): Generator<[number, string[]]> {
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let inQuotes = false;
    for (; i < n; i++) {
      const ch = text[i];
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            if (cell.length < MAX_CELL_CHARS) cell += '"';
            i++;
          } else {
            inQuotes = false;
          }
        } else {
          if (ch === '\n') line++;
          if (cell.length < MAX_CELL_CHARS) cell += ch;
        }
      } else if (ch === '"' && cell.trim() === '') {
        inQuotes = true;
        cell = '';
      } else if (ch === delimiter) {
        cells.push(cell);
        cell = '';
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      } else if (cell.length < MAX_CELL_CHARS) {
        cell += ch;
      }
    }
    cells.push(cell);
    yield [startLine, cells];
  }
}

/** Reads one CSV export. `file` is only used in messages. */
export function readDirectoryCsv(text: string, file: string): CsvReadResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstBreak = body.search(/\r?\n/);
  const delimiter = detectDelimiter(firstBreak === -1 ? body : body.slice(0, firstBreak));
  const rows = records(body, delimiter);
  const header = rows.next();
  if (header.done) {
    throw new DirectoryFileError(`${file}: the file is empty; it needs a header row with an Email column`);
  }
  const headers = header.value[1];
  const keys = headers.map(headerKey);
  let emailColumn = findColumn(keys, EMAIL_HEADERS);
  if (emailColumn === -1) emailColumn = keys.findIndex((k) => k.includes('email'));
  if (emailColumn === -1) {
    const seen = headers.map((h) => `'${h.trim()}'`).join(', ');
    throw new DirectoryFileError(
      `${file}:1: no e-mail column in the header row (found ${seen}); name the column 'Email' (any case, any position)`,
    );
  }
  const nameColumn = findColumn(keys, NAME_HEADERS);
  const forenameColumn = findColumn(keys, FORENAME_HEADERS);
  const surnameColumn = findColumn(keys, SURNAME_HEADERS);
  const yearColumn = findColumn(keys, YEAR_HEADERS);

  const entries: DirectoryEntry[] = [];
  const skipped: string[] = [];
  let skippedCount = 0;
  let rowCount = 0;
  for (const [line, cells] of rows) {
    if (++rowCount > MAX_CSV_ROWS) {
      throw new DirectoryFileError(
        `${file}:${line}: more than ${MAX_CSV_ROWS} rows; split the export into several files`,
      );
    }
    if (cells.every((c) => c.trim() === '')) continue;
    const cell = (index: number): string => (index === -1 ? '' : (cells[index] ?? '').trim());
    const name =
      cell(nameColumn) ||
      [cell(forenameColumn), cell(surnameColumn)].filter((part) => part !== '').join(' ') ||
      undefined;
    const yearGroup = cell(yearColumn) || undefined;
    // A parent row often carries two addresses in one cell ("a@x.com; b@y.com").
    const addresses = cell(emailColumn)
      .split(/[;,\s]+/)
      .map((a) => a.replace(/^<|>$/g, '').toLowerCase())
      .filter((a) => a !== '');
    const valid = addresses.filter((a) => ADDRESS.test(a));
    if (valid.length === 0) {
      skippedCount++;
      if (skipped.length < MAX_REPORTED_SKIPS) {
        const shown = cell(emailColumn);
        skipped.push(`${file}:${line}: ${shown === '' ? 'no e-mail address' : `'${shown}' is not an e-mail address`}`);
      }
      continue;
    }
    for (const address of valid) entries.push({ address, name, yearGroup });
  }
  return { entries, skipped, skippedCount };
}
