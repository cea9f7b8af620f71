// What a ZIP archive attached to a message holds: every file's name (the reader sees them when they open it) and
// the bytes of the files the relay reads as text, unzipped with fflate within bounds set on the sizes the archive
// declares, before anything inflates. Archives inside archives are named but not opened.

import { unzipSync, type UnzipFileInfo } from 'fflate';

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
  let unzipped = 0;
  let tooLarge = 0;
  let unlisted = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file: UnzipFileInfo) => {
        if (file.name.endsWith('/')) return false;
        if (names.length >= MAX_ARCHIVE_ENTRIES) {
          unlisted++;
          return false;
        }
        names.push(file.name);
        if (!wanted(file.name)) return false;
        if (unzipped + file.originalSize > MAX_ARCHIVE_UNZIPPED_BYTES) {
          tooLarge++;
          return false;
        }
        unzipped += file.originalSize;
        return true;
      },
    });
  } catch (error) {
    // fflate refuses an encrypted file (an unknown compression type, or data that does not inflate) like a damaged one.
    throw new UnreadableArchive(
      `it is damaged or password-protected (${error instanceof Error ? error.message : error})`,
    );
  }
  const files = names.filter((name) => entries[name] !== undefined).map((name) => ({ name, bytes: entries[name]! }));
  const problems = [
    ...(unlisted > 0 ? [`it holds more than ${MAX_ARCHIVE_ENTRIES} files`] : []),
    ...(tooLarge > 0 ? [`${tooLarge} of its files were too large to read`] : []),
  ];
  return problems.length > 0 ? { names, files, problem: problems.join(', and ') } : { names, files };
}
