// Who a recipient is: pupil, parent, staff or external, from the directory's domains and MIS CSV exports.
import { readFile, stat } from 'node:fs/promises';
import type { RecipientClass } from '../classifier/types.js';
import type { Config } from '../config/schema.js';
import { DirectoryFileError, MAX_CSV_BYTES, readDirectoryCsv, type DirectoryEntry } from './directory-csv.js';

export { DirectoryFileError } from './directory-csv.js';

type DirectorySettings = Config['directory'];

/** Classes the directory lists, strictest first: an address listed twice takes the strictest class. */
const LISTED_CLASSES = [
  { key: 'pupils', recipientClass: 'pupil' },
  { key: 'parents', recipientClass: 'parent' },
  { key: 'staff', recipientClass: 'staff' },
] as const satisfies readonly { key: keyof DirectorySettings; recipientClass: RecipientClass }[];

export interface DirectoryMatch {
  class: RecipientClass;
  /** How the class was found: the address in a CSV export, its domain, or neither (external). */
  source: 'address' | 'domain' | 'none';
  name?: string;
  yearGroup?: string;
}

export interface RecipientDirectory {
  classify(address: string): DirectoryMatch;
  /** Listed addresses per class, for the startup and reload log line. */
  readonly counts: Record<'pupil' | 'parent' | 'staff', number>;
  /** Rows the CSV exports had that could not be used, as `file:line: reason`. */
  readonly warnings: string[];
  /** The CSV files read, so a change to any of them reloads the directory. */
  readonly files: string[];
}

interface Listed extends DirectoryEntry {
  class: RecipientClass;
}

const STRICTNESS: Record<RecipientClass, number> = { pupil: 3, parent: 2, staff: 1, external: 0 };

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? '' : address.slice(at + 1);
}

/** Lower-cases an address and drops a trailing dot on its domain: RCPT TO arrives as the sender's client wrote it. */
export function canonicalAddress(address: string): string {
  return address.trim().toLowerCase().replace(/\.$/, '');
}

async function readCsv(file: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DirectoryFileError(
      code === 'ENOENT'
        ? `${file}: file not found (listed under directory.*.csv); check the path, relative paths are read from the config file's folder`
        : `${file}: cannot be read (${code ?? String(error)})`,
    );
  }
  if (size > MAX_CSV_BYTES) {
    throw new DirectoryFileError(
      `${file}: ${size} bytes is larger than the ${MAX_CSV_BYTES}-byte limit for one export`,
    );
  }
  return readFile(file, 'utf8');
}

/** Builds the directory from settings whose CSV paths are already resolved. Throws DirectoryFileError naming the file. */
export async function loadDirectory(settings: DirectorySettings): Promise<RecipientDirectory> {
  const byAddress = new Map<string, Listed>();
  const byDomain = new Map<string, RecipientClass>();
  const counts = { pupil: 0, parent: 0, staff: 0 };
  const warnings: string[] = [];
  const files: string[] = [];

  for (const { key, recipientClass } of LISTED_CLASSES) {
    for (const domain of settings[key].domains) {
      const canonical = domain.trim().toLowerCase().replace(/^@/, '');
      const existing = byDomain.get(canonical);
      if (existing === undefined || STRICTNESS[recipientClass] > STRICTNESS[existing]) {
        byDomain.set(canonical, recipientClass);
      }
    }
    for (const file of settings[key].csv) {
      files.push(file);
      const result = readDirectoryCsv(await readCsv(file), file);
      warnings.push(...result.skipped);
      if (result.skippedCount > result.skipped.length) {
        warnings.push(`${file}: ${result.skippedCount - result.skipped.length} more rows without a usable address`);
      }
      for (const entry of result.entries) {
        const existing = byAddress.get(entry.address);
        if (existing !== undefined && STRICTNESS[existing.class] >= STRICTNESS[recipientClass]) continue;
        if (existing === undefined) counts[recipientClass]++;
        else {
          counts[existing.class as keyof typeof counts]--;
          counts[recipientClass]++;
        }
        byAddress.set(entry.address, { ...entry, class: recipientClass });
      }
    }
  }

  return {
    counts,
    warnings,
    files,
    classify(address: string): DirectoryMatch {
      const canonical = canonicalAddress(address);
      const listed = byAddress.get(canonical);
      if (listed !== undefined) {
        return { class: listed.class, source: 'address', name: listed.name, yearGroup: listed.yearGroup };
      }
      const byItsDomain = byDomain.get(domainOf(canonical));
      if (byItsDomain !== undefined) return { class: byItsDomain, source: 'domain' };
      return { class: 'external', source: 'none' };
    },
  };
}
