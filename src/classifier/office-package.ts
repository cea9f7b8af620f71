// Which parts of an Office Open XML package hold the text a reader sees, found as Word, Excel and PowerPoint find
// them (ECMA-376 Part 2, Open Packaging Conventions): the main part is the target of the package's officeDocument
// relationship, whatever it is called, and the parts it shows (headers, sheets, slides, notes, comments) are found
// through the relationships of the parts that show them; part names are compared without regard to letter case.
// Reading by literal name missed a main part called word/document2.xml, or Word/Document.xml, and passed the file.

import { UnreadableDocument } from './unreadable-document.js';
import { readXml } from './xml-reader.js';
import { DamagedZip, unzipEntry, type ZipEntry } from './zip-archive.js';

export interface PackageBounds {
  /** Bytes unzipped from the package, all parts together. */
  maxBytes: number;
  /** Parts unzipped (text and relationships). */
  maxParts: number;
}

/** A document's archive, its parts found by name in any letter case, read within bounds. */
export class DocumentPackage {
  /** Parts left unread for the bounds. */
  skipped = 0;
  private unzipped = 0;
  private taken = 0;
  private readonly parts = new Map<string, ZipEntry>();

  constructor(
    private readonly bytes: Uint8Array,
    entries: ZipEntry[],
    private readonly bounds: PackageBounds,
  ) {
    for (const entry of entries) {
      if (entry.name.endsWith('/')) continue;
      const key = entry.name.toLowerCase();
      // Two parts one name: which one a reader opens is not known.
      if (this.parts.has(key)) throw new UnreadableDocument('its contents are damaged (two of its parts share a name)');
      this.parts.set(key, entry);
    }
  }

  /** The part's name as stored, if the package has it. */
  find(name: string): string | undefined {
    return this.parts.get(name.toLowerCase())?.name;
  }

  names(): string[] {
    return [...this.parts.values()].map((entry) => entry.name);
  }

  /** A part's bytes; undefined (and counted as skipped) when reading it would pass the bounds. */
  read(name: string): Uint8Array | undefined {
    const entry = this.parts.get(name.toLowerCase());
    if (entry === undefined) return undefined;
    if (entry.encrypted) throw new UnreadableDocument('it is password-protected');
    if (this.unzipped + entry.size > this.bounds.maxBytes || this.taken >= this.bounds.maxParts) {
      this.skipped++;
      return undefined;
    }
    this.unzipped += entry.size;
    this.taken++;
    try {
      return unzipEntry(this.bytes, entry);
    } catch (error) {
      if (error instanceof DamagedZip) throw new UnreadableDocument(`its contents are damaged (${error.message})`);
      throw error;
    }
  }
}

/** The last segment of a relationship type (transitional and strict OOXML differ only before it). */
const relationshipKind = (type: string) => type.slice(type.lastIndexOf('/') + 1);

export interface TextParts {
  /** Parts holding text in reading order: the main part first, then the others (slides, sheets) in number order. */
  parts: string[];
  /** Where the hyperlinks of those parts point (external relationship targets), one per line. */
  links: string[];
}

/**
 * The main part and the parts reached from it through relationships whose kind is in `shown` (a worksheet, a
 * slide's notes...), with the external targets of their relationships. A package without relationships (not one
 * Office writes) is read by the parts' usual names, `usual`. Throws UnreadableDocument when no part with text is found.
 */
export function officeTextParts(pkg: DocumentPackage, shown: ReadonlySet<string>, usual: RegExp): TextParts {
  const root = pkg.find('_rels/.rels');
  if (root === undefined) {
    const parts = pkg.names().filter((name) => usual.test(name));
    if (parts.length === 0) throw new UnreadableDocument('none of its text could be found');
    return { parts: parts.sort(byReadingOrder), links: [] };
  }
  const main = relationships(pkg, root, '').find((r) => !r.external && relationshipKind(r.type) === 'officeDocument');
  const mainPart = main === undefined ? undefined : pkg.find(main.target);
  if (mainPart === undefined) throw new UnreadableDocument('its contents are damaged (its main part is missing)');
  const parts = [mainPart];
  const links: string[] = [];
  const seen = new Set([mainPart.toLowerCase()]);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const rels = pkg.find(relationshipsPartOf(part));
    if (rels === undefined) continue;
    for (const relationship of relationships(pkg, rels, part)) {
      if (relationship.external) {
        links.push(relationship.target);
        continue;
      }
      if (!shown.has(relationshipKind(relationship.type))) continue;
      // A relationship to a part the package lacks shows nothing; Office writers leave some behind.
      const target = pkg.find(relationship.target);
      if (target === undefined || seen.has(target.toLowerCase())) continue;
      seen.add(target.toLowerCase());
      parts.push(target);
    }
  }
  return { parts: [mainPart, ...parts.slice(1).sort(byReadingOrder)], links };
}

/** Slides and sheets in number order (slide2 before slide10). */
function byReadingOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

interface Relationship {
  type: string;
  /** The target part's name (resolved against the source part), or the external address as written. */
  target: string;
  external: boolean;
}

/** The relationships in the part `name`, whose targets are relative to `source` (the package root for ''). */
function relationships(pkg: DocumentPackage, name: string, source: string): Relationship[] {
  const bytes = pkg.read(name);
  if (bytes === undefined) return [];
  const found: Relationship[] = [];
  readXml(new TextDecoder('utf-8').decode(bytes), {
    onopentag(tag, attributes) {
      if (tag.slice(tag.indexOf(':') + 1) !== 'Relationship') return;
      const type = attributes['Type'] ?? '';
      const target = attributes['Target'] ?? '';
      const external = attributes['TargetMode'] === 'External';
      found.push({ type, target: external ? target : resolve(source, target), external });
    },
  });
  return found;
}

/** Where a part's relationships are kept: word/document.xml's in word/_rels/document.xml.rels. */
function relationshipsPartOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** A relationship's target as a part name: relative to its source part's folder, or to the root when it starts '/'. */
function resolve(source: string, target: string): string {
  let path: string;
  try {
    path = decodeURIComponent(target.split('#')[0]!);
  } catch {
    path = target;
  }
  const segments = path.startsWith('/') ? [] : source.split('/').slice(0, -1);
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}
