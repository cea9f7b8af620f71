// Reads a labelled corpus (corpus/<set>/**/*.yaml and corpus/<set>/**/eml/*.eml), validates every record and builds its MIME.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { corpusRecordSchema, type CorpusMessage } from './corpus-record.js';
import { buildMime, MimeBuildError } from './build-mime.js';
import { EmlLabelError, readEmlLabels } from './eml-labels.js';

/** Folders under the corpus that hold no labelled messages. */
const NOT_SETS = new Set(['baseline']);
/** Bounds a corpus walk: deeper nesting than this is a mistake (or a symlink loop), not a corpus layout. */
const MAX_DEPTH = 6;
/** A corpus file above this size is not hand-written test mail. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Every problem found in the corpus, each naming its file, line and record id. */
export class CorpusError extends Error {
  constructor(readonly problems: string[]) {
    super(`the corpus has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
  }
}

interface CorpusFile {
  /** Relative to the corpus folder, with forward slashes. */
  relative: string;
  absolute: string;
  set: string;
  kind: 'yaml' | 'eml';
}

async function listFiles(root: string, folder: string, set: string, depth: number, into: CorpusFile[]): Promise<void> {
  if (depth > MAX_DEPTH) throw new CorpusError([`${folder}: nested more than ${MAX_DEPTH} folders deep`]);
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const absolute = path.join(folder, entry.name);
    const relative = path.relative(root, absolute).split(path.sep).join('/');
    if (entry.isDirectory()) await listFiles(root, absolute, set, depth + 1, into);
    else if (/\.ya?ml$/i.test(entry.name)) into.push({ relative, absolute, set, kind: 'yaml' });
    else if (/\.eml$/i.test(entry.name) && path.basename(folder) === 'eml')
      into.push({ relative, absolute, set, kind: 'eml' });
  }
}

/** The labelled files of a corpus folder: every set folder's YAML and eml/ files, in a stable order. */
export async function listCorpusFiles(root: string): Promise<CorpusFile[]> {
  const files: CorpusFile[] = [];
  const entries = await readdir(root, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || NOT_SETS.has(entry.name)) continue;
    await listFiles(root, path.join(root, entry.name), entry.name, 1, files);
  }
  return files;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    return `${key.replace(/^\./, '') || '(record)'}: ${issue.message}`;
  });
}

async function readBounded(file: CorpusFile): Promise<Buffer> {
  const content = await readFile(file.absolute);
  if (content.length > MAX_FILE_BYTES) throw new CorpusError([`${file.relative}: larger than ${MAX_FILE_BYTES} bytes`]);
  return content;
}

async function loadYamlFile(file: CorpusFile, problems: string[]): Promise<CorpusMessage[]> {
  const source = (await readBounded(file)).toString('utf8');
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const line = lineCounter.linePos(error.pos[0]).line;
      problems.push(`${file.relative}:${line}: YAML: ${error.message.split('\n')[0]}`);
    }
    return [];
  }
  const messages = isMap(document.contents) ? document.contents.get('messages', true) : undefined;
  if (!isSeq(messages)) {
    problems.push(`${file.relative}:1: expected a top-level "messages:" list`);
    return [];
  }
  const loaded: CorpusMessage[] = [];
  for (const [index, item] of messages.items.entries()) {
    const line = lineCounter.linePos((item as { range?: [number] }).range?.[0] ?? 0).line;
    const value: unknown = (item as { toJSON?: () => unknown }).toJSON?.() ?? item;
    const idText =
      typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
        ? `"${(value as { id: string }).id}"`
        : `record ${index + 1}`;
    const where = `${file.relative}:${line}: ${idText}`;
    const parsed = corpusRecordSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of describeIssues(parsed.error)) problems.push(`${where}: ${issue}`);
      continue;
    }
    const record = parsed.data;
    try {
      loaded.push({
        id: record.id,
        file: file.relative,
        line,
        set: file.set,
        expect: record.expect,
        note: record.note,
        to: record.to,
        encoding: record.encoding,
        raw: await buildMime(record),
        body: record.body,
      });
    } catch (error) {
      if (!(error instanceof MimeBuildError)) throw error;
      problems.push(`${where}: ${error.message}`);
    }
  }
  return loaded;
}

async function loadEmlFile(file: CorpusFile, problems: string[]): Promise<CorpusMessage[]> {
  const id = path.basename(file.relative).replace(/\.eml$/i, '');
  if (!ID_PATTERN.test(id)) {
    problems.push(`${file.relative}:1: the file name is the record id: lower-case letters, digits and single dashes`);
    return [];
  }
  const content = await readBounded(file);
  try {
    const labels = readEmlLabels(content);
    return [
      {
        id,
        file: file.relative,
        line: 1,
        set: file.set,
        expect: labels.expect,
        note: labels.note,
        to: labels.to,
        encoding: 'eml',
        raw: labels.raw,
        body: labels.raw.toString('utf8'),
      },
    ];
  } catch (error) {
    if (!(error instanceof EmlLabelError)) throw error;
    problems.push(`${file.relative}:1: "${id}": ${error.message}`);
    return [];
  }
}

/** Loads every message of the corpus; throws CorpusError listing all problems (bad records, duplicate ids) at once. */
export async function loadCorpus(root: string): Promise<CorpusMessage[]> {
  const files = await listCorpusFiles(root);
  const problems: string[] = [];
  const messages: CorpusMessage[] = [];
  for (const file of files) {
    const loaded = file.kind === 'yaml' ? await loadYamlFile(file, problems) : await loadEmlFile(file, problems);
    messages.push(...loaded);
  }
  const firstSeen = new Map<string, CorpusMessage>();
  for (const message of messages) {
    const earlier = firstSeen.get(message.id);
    if (earlier === undefined) firstSeen.set(message.id, message);
    else
      problems.push(
        `${message.file}:${message.line}: "${message.id}": duplicate id, first used at ${earlier.file}:${earlier.line}`,
      );
  }
  if (files.length === 0) problems.push(`${root}: no corpus files (expected <set>/*.yaml or <set>/eml/*.eml)`);
  if (problems.length > 0) throw new CorpusError(problems);
  return messages;
}
