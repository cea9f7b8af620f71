// External labelled sets (JSON Lines { id, source, text, label, notes }): each text is wrapped as the plain-text body of
// a message from a staff address to a pupil and screened; results are counted per file and per label.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { z } from 'zod';
import { CATEGORIES, type Category } from '../classifier/types.js';
import { DEFAULT_SENDER, RECIPIENT_ADDRESS } from './build-mime.js';
import type { Screener } from './screen-outcome.js';

/** A dataset file above this is not an evaluation set we can hold in memory comfortably. */
const MAX_DATASET_BYTES = 64 * 1024 * 1024;
/** One text above this is cut: a chat line or an e-mail body, not a book. */
const MAX_TEXT_CHARS = 200_000;

const rowSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  source: z.string().optional(),
  text: z.string(),
  label: z.string().min(1),
  notes: z.record(z.string(), z.unknown()).optional(),
});
export type DatasetRow = z.output<typeof rowSchema>;

export class DatasetError extends Error {}

export interface LabelCount {
  /** The label, or the label and a slice ("negative_professional_email [contact-like text]"). */
  label: string;
  total: number;
  /** Held or tagged. */
  flagged: number;
  held: number;
  /** Messages flagged (held or tagged) with a finding of each category. */
  categories: Record<Category, number>;
}

export interface DatasetResult {
  file: string;
  total: number;
  labels: LabelCount[];
}

export async function readDataset(file: string): Promise<DatasetRow[]> {
  const content = await readFile(file);
  if (content.length > MAX_DATASET_BYTES) throw new DatasetError(`${file}: larger than ${MAX_DATASET_BYTES} bytes`);
  const rows: DatasetRow[] = [];
  for (const [index, line] of content.toString('utf8').split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`${file}:${index + 1}: not JSON: ${(error as Error).message}`);
    }
    const parsed = rowSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DatasetError(
        `${file}:${index + 1}: ${issue?.path.join('.') || '(row)'}: ${issue?.message ?? 'invalid row'}`,
      );
    }
    rows.push({ ...parsed.data, text: parsed.data.text.slice(0, MAX_TEXT_CHARS) });
  }
  return rows;
}

/** Every .jsonl file in a folder, sorted. */
export async function listDatasets(folder: string): Promise<string[]> {
  const names = await readdir(folder);
  return names
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => path.join(folder, name));
}

/** The row's text as the body of a plain message from a staff address to a pupil. */
export function wrapAsMessage(row: DatasetRow): Promise<Buffer> {
  const composer = new MailComposer({
    from: DEFAULT_SENDER,
    to: RECIPIENT_ADDRESS.pupil,
    subject: 'A message from school',
    date: new Date('2025-03-10T16:45:00Z'),
    messageId: `<dataset-${row.id.replace(/[^A-Za-z0-9._-]/g, '-')}@eval.oakfield.sch.uk>`,
    text: row.text,
  });
  return new Promise((resolve, reject) => {
    composer.compile().build((error, message) => (error ? reject(error) : resolve(message)));
  });
}

/** The regex flags the data's README provides for slicing: does the text carry something contact-like? */
function contactLike(row: DatasetRow): boolean | undefined {
  const notes = row.notes;
  if (notes === undefined) return undefined;
  const flags = ['has_phone_like', 'has_email_address', 'has_url'].filter((key) => key in notes);
  if (flags.length === 0) return undefined;
  return flags.some((key) => notes[key] === true);
}

function emptyCount(label: string): LabelCount {
  return {
    label,
    total: 0,
    flagged: 0,
    held: 0,
    categories: Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<Category, number>,
  };
}

export async function evaluateDataset(
  file: string,
  screen: Screener,
  onRow?: (done: number, total: number) => void,
): Promise<DatasetResult> {
  const rows = await readDataset(file);
  const counts = new Map<string, LabelCount>();
  const count = (label: string): LabelCount => {
    let entry = counts.get(label);
    if (entry === undefined) counts.set(label, (entry = emptyCount(label)));
    return entry;
  };
  for (const [index, row] of rows.entries()) {
    const outcome = await screen(await wrapAsMessage(row), 'pupil');
    const flagged = outcome.action !== 'pass';
    const categories = new Set(flagged ? outcome.findings.map((finding) => finding.category) : []);
    const slice = contactLike(row);
    const targets = [count(row.label)];
    if (slice !== undefined)
      targets.push(count(`${row.label} [${slice ? 'contact-like text' : 'no contact-like text'}]`));
    for (const target of targets) {
      target.total++;
      if (flagged) target.flagged++;
      if (outcome.action === 'hold') target.held++;
      for (const category of categories) target.categories[category]++;
    }
    onRow?.(index + 1, rows.length);
  }
  // A slice is worth a row only when it splits its label; a slice holding every row repeats the label's own row.
  const labels = [...counts.values()]
    .filter((entry) => {
      const label = /^(.*) \[[^\]]+\]$/.exec(entry.label)?.[1];
      return label === undefined || counts.get(label)?.total !== entry.total;
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  return { file: path.basename(file), total: rows.length, labels };
}
