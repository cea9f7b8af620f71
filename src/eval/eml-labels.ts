// Reads the X-Corpus-* labels of a hand-made .eml corpus message and strips them before it is screened.
import { CATEGORIES, type Category } from '../classifier/types.js';
import { CORPUS_RECIPIENTS, type CorpusRecipient } from './corpus-record.js';

export interface EmlLabels {
  expect: Category[];
  note: string;
  to: CorpusRecipient;
  /** The message without its X-Corpus-* header fields, byte for byte otherwise. */
  raw: Buffer;
}

/** Bounds the header scan: a corpus .eml whose header block runs past this is malformed, not a long header. */
const MAX_HEADER_BYTES = 256 * 1024;

export class EmlLabelError extends Error {}

function headerEnd(raw: Buffer): number {
  const limit = Math.min(raw.length, MAX_HEADER_BYTES);
  for (let i = 0; i < limit; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 1;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 1;
  }
  throw new EmlLabelError(`no blank line ending the header block in the first ${MAX_HEADER_BYTES} bytes`);
}

export function readEmlLabels(raw: Buffer): EmlLabels {
  const end = headerEnd(raw);
  // Header field names and our labels are ASCII; latin1 keeps every other byte as one char so lengths stay exact.
  const header = raw.subarray(0, end).toString('latin1');
  const lines = header.split(/(?<=\n)/);
  const kept: string[] = [];
  const labels = new Map<string, string>();
  let current: string | undefined;
  for (const line of lines) {
    const continuation = /^[ \t]/.test(line);
    if (!continuation) {
      const name = /^([!-9;-~]+):/.exec(line)?.[1]?.toLowerCase();
      current = name?.startsWith('x-corpus-') ? name : undefined;
      if (current !== undefined) {
        labels.set(current, line.slice(current.length + 1).trim());
        continue;
      }
    } else if (current !== undefined) {
      labels.set(current, `${labels.get(current) ?? ''} ${line.trim()}`.trim());
      continue;
    }
    kept.push(line);
  }

  const expectText = labels.get('x-corpus-expect');
  if (expectText === undefined)
    throw new EmlLabelError('missing the X-Corpus-Expect header (leave it empty for a clean message)');
  const expect: Category[] = [];
  for (const name of expectText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    if (!(CATEGORIES as readonly string[]).includes(name)) {
      throw new EmlLabelError(`X-Corpus-Expect: unknown category "${name}" (use ${CATEGORIES.join(', ')})`);
    }
    expect.push(name as Category);
  }
  const note = labels.get('x-corpus-note');
  if (note === undefined || note === '')
    throw new EmlLabelError('missing the X-Corpus-Note header (one line: why it is labelled so)');
  const to = (labels.get('x-corpus-to') ?? 'pupil').toLowerCase();
  if (!(CORPUS_RECIPIENTS as readonly string[]).includes(to)) {
    throw new EmlLabelError(`X-Corpus-To: "${to}" is not a recipient class (use ${CORPUS_RECIPIENTS.join(' or ')})`);
  }
  const strippedHeader = Buffer.from(kept.join(''), 'latin1');
  return {
    expect,
    note,
    to: to as CorpusRecipient,
    raw: Buffer.concat([strippedHeader, raw.subarray(end)]),
  };
}
