// What a ZIP archive attached to a message holds: every file's name (the reader sees them when they open it) and
// the bytes of the files the relay reads as text, unzipped within bounds set on the sizes the archive declares before
// anything inflates (zip-archive.ts holds each file to its declared size and checksum). Archives inside archives are
// named but not opened.

import { DamagedZip, unzipEntry, zipEntries, type ZipEntry } from './zip-archive.js';

/** Entries named from one archive; a longer listing is cut here (and said so). */
export const MAX_ARCHIVE_ENTRIES = 500;
/** Unzipped bytes read from one archive's wanted files: bounds a ZIP bomb. */
export const MAX_ARCHIVE_UNZIPPED_BYTES = 64 * 1024 * 1024;

const ARCHIVE_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/x-zip']);

export function isArchive(mediaType: string, filename: string | undefined): boolean {
  return ARCHIVE_TYPES.has(mediaType.toLowerCase()) || /\.zip$/i.test(filename ?? '');
}

export interface ArchiveContents {
  /** Every file's path in the archive (folders left out), up to MAX_ARCHIVE_ENTRIES. */
  names: string[];
  /** The files `wanted` picked, unzipped. */
  files: { name: string; bytes: Uint8Array }[];
  /** What could not be read (too many files, a wanted file past the bound). */
  problem?: string;
}

/** The archive could not be opened: not a ZIP, damaged, or encrypted. */
export class UnreadableArchive extends Error {}

export function archiveContents(bytes: Uint8Array, wanted: (name: string) => boolean): ArchiveContents {
  const names: string[] = [];
  const files: { name: string; bytes: Uint8Array }[] = [];
  let unzipped = 0;
  let tooLarge = 0;
  let unlisted = 0;
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (error) {
    throw unreadable(error);
  }
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    if (names.length >= MAX_ARCHIVE_ENTRIES) {
      unlisted++;
      continue;
    }
    names.push(entry.name);
    if (!wanted(entry.name)) continue;
    if (unzipped + entry.size > MAX_ARCHIVE_UNZIPPED_BYTES) {
      tooLarge++;
      continue;
    }
    unzipped += entry.size;
    try {
      files.push({ name: entry.name, bytes: unzipEntry(bytes, entry) });
    } catch (error) {
      throw unreadable(error);
    }
  }
  const problems = [
    ...(unlisted > 0 ? [`it holds more than ${MAX_ARCHIVE_ENTRIES} files`] : []),
    ...(tooLarge > 0 ? [`${tooLarge} of its files were too large to read`] : []),
  ];
  return problems.length > 0 ? { names, files, problem: problems.join(', and ') } : { names, files };
}

/** A file the reader would open cannot be read as it is: damaged, or encrypted (its bytes are not its text). */
function unreadable(error: unknown): UnreadableArchive {
  if (!(error instanceof DamagedZip)) throw error;
  return new UnreadableArchive(`it is damaged or password-protected (${error.message})`);
}
