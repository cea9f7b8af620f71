// What a ZIP archive attached to a message holds: every file's name (the reader sees them when they open it) and
// the bytes of the files the relay reads as text, unzipped within bounds set on the sizes the archive declares before
// anything inflates (zip-archive.ts holds each file to its declared size and checksum). Archives inside it are opened
// too, up to MAX_ARCHIVE_DEPTH, rather than held unread: a zip of zips (a folder of pupils' work, each zipped) is
// ordinary school mail, and reading one costs no more than the bounds below allow, which all its levels share.

import { DamagedZip, unzipEntry, zipEntries, type ZipEntry } from './zip-archive.js';

/** Entries named from one archive, the archives inside it included; a longer listing is cut here (and said so). */
export const MAX_ARCHIVE_ENTRIES = 500;
/**
 * Unzipped bytes read from one archive's wanted files, the archives inside it (and their files) included: bounds a
 * ZIP bomb, nested ones too (an archive of ten archives of ten 1 GB files costs these 64 MB, not 100 GB).
 */
export const MAX_ARCHIVE_UNZIPPED_BYTES = 64 * 1024 * 1024;
/** Archives opened one inside another, the attached one the first; deeper ones are named, not opened (a problem). */
export const MAX_ARCHIVE_DEPTH = 3;

/** A file in an archive that is itself an archive, opened in turn. */
const NESTED_ARCHIVE = /\.zip$/i;

const ARCHIVE_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/x-zip']);

export function isArchive(mediaType: string, filename: string | undefined): boolean {
  return ARCHIVE_TYPES.has(mediaType.toLowerCase()) || /\.zip$/i.test(filename ?? '');
}

export interface ArchiveContents {
  /** Every file's path in the archive (folders left out), up to MAX_ARCHIVE_ENTRIES; inside an inner archive, its
   * own path, '/', then the file's ("work.zip/essay.docx"). */
  names: string[];
  /** The files `wanted` picked, unzipped, named as in `names`. */
  files: { name: string; bytes: Uint8Array }[];
  /** What could not be read (too many files, a wanted file past the bound). */
  problem?: string;
}

/** The archive could not be opened: not a ZIP, damaged, or encrypted. */
export class UnreadableArchive extends Error {}

export function archiveContents(bytes: Uint8Array, wanted: (name: string) => boolean): ArchiveContents {
  const reading: Reading = { names: [], files: [], unzipped: 0, tooLarge: 0, unlisted: 0, tooDeep: 0 };
  readArchive(bytes, '', 1, wanted, reading);
  const { names, files, unlisted, tooLarge, tooDeep } = reading;
  const problems = [
    ...(unlisted > 0 ? [`it holds more than ${MAX_ARCHIVE_ENTRIES} files`] : []),
    ...(tooLarge > 0 ? [`${tooLarge} of its files were too large to read`] : []),
    ...(tooDeep > 0
      ? [`${tooDeep} archives in it are nested more than ${MAX_ARCHIVE_DEPTH} deep and were not opened`]
      : []),
  ];
  return problems.length > 0 ? { names, files, problem: problems.join(', and ') } : { names, files };
}

/** What reading an archive and the archives inside it has found and spent so far. */
interface Reading {
  names: string[];
  files: { name: string; bytes: Uint8Array }[];
  unzipped: number;
  tooLarge: number;
  unlisted: number;
  tooDeep: number;
}

/** The archive `bytes`, at `depth`, its files named after `prefix` (its own path and '/'; '' for the attached one). */
function readArchive(
  bytes: Uint8Array,
  prefix: string,
  depth: number,
  wanted: (name: string) => boolean,
  reading: Reading,
): void {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (error) {
    throw unreadable(error, prefix);
  }
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    if (reading.names.length >= MAX_ARCHIVE_ENTRIES) {
      reading.unlisted++;
      continue;
    }
    const path = prefix + entry.name;
    reading.names.push(path);
    const nested = NESTED_ARCHIVE.test(entry.name);
    if (!nested && !wanted(entry.name)) continue;
    if (nested && depth >= MAX_ARCHIVE_DEPTH) {
      reading.tooDeep++;
      continue;
    }
    if (reading.unzipped + entry.size > MAX_ARCHIVE_UNZIPPED_BYTES) {
      reading.tooLarge++;
      continue;
    }
    reading.unzipped += entry.size;
    let contents: Uint8Array;
    try {
      contents = unzipEntry(bytes, entry);
    } catch (error) {
      throw unreadable(error, prefix);
    }
    if (nested) readArchive(contents, `${path}/`, depth + 1, wanted, reading);
    else reading.files.push({ name: path, bytes: contents });
  }
}

/**
 * A file the reader would open cannot be read as it is: damaged, or encrypted (its bytes are not its text). An
 * archive inside is named, and the whole attachment is then unreadable, as when its own files are.
 */
function unreadable(error: unknown, prefix: string): UnreadableArchive {
  if (error instanceof UnreadableArchive) return error;
  if (!(error instanceof DamagedZip)) throw error;
  const where = prefix === '' ? '' : `${prefix.slice(0, -1)} in it: `;
  return new UnreadableArchive(`it is damaged or password-protected (${where}${error.message})`);
}
