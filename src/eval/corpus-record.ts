// The shape of one labelled corpus message, as written in corpus/<set>/*.yaml (see corpus/README.md).
import { z } from 'zod';
import { CATEGORIES, type Category } from '../classifier/types.js';

export const ENCODINGS = [
  'plain',
  'quoted-printable',
  'base64',
  'html',
  'alternative',
  'latin1',
  'windows-1252',
  'attachment',
] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Recipient classes a corpus message can be addressed to. */
export const CORPUS_RECIPIENTS = ['pupil', 'parent'] as const;
export type CorpusRecipient = (typeof CORPUS_RECIPIENTS)[number];

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const attachmentSchema = z
  .object({
    filename: z.string().min(1),
    content: z.string(),
    contentType: z.string().optional(),
  })
  .strict();

export const corpusRecordSchema = z
  .object({
    id: z.string().regex(ID_PATTERN, 'ids are lower-case letters, digits and single dashes, e.g. "cd-phone-014"'),
    expect: z.array(z.enum(CATEGORIES)),
    note: z.string().min(1, 'every record says in one line why it is labelled so'),
    to: z.enum(CORPUS_RECIPIENTS).default('pupil'),
    from: z.string().includes('@').optional(),
    encoding: z.enum(ENCODINGS).default('plain'),
    subject: z.string(),
    body: z.string().min(1),
    html: z.string().min(1).optional(),
    quoted: z.string().min(1).optional(),
    /** Who wrote the quoted message; default the recipient. */
    quotedFrom: z.string().optional(),
    attachments: z.array(attachmentSchema).optional(),
  })
  .strict()
  .superRefine((record, ctx) => {
    if (record.encoding === 'attachment' && (record.attachments === undefined || record.attachments.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['attachments'],
        message: 'encoding "attachment" needs an attachments list',
      });
    }
    if (record.html !== undefined && record.encoding !== 'html' && record.encoding !== 'alternative') {
      ctx.addIssue({
        code: 'custom',
        path: ['html'],
        message: `an explicit html body is only used with encoding html or alternative, not "${record.encoding}"`,
      });
    }
    if (new Set(record.expect).size !== record.expect.length) {
      ctx.addIssue({ code: 'custom', path: ['expect'], message: 'a category is listed twice' });
    }
  });

export type CorpusRecordInput = z.input<typeof corpusRecordSchema>;
export type CorpusRecord = z.output<typeof corpusRecordSchema>;

/** One message ready to screen: a YAML record built into MIME, or a hand-made .eml. */
export interface CorpusMessage {
  id: string;
  /** Path of the file it came from, relative to the corpus folder (e.g. "clean/trips.yaml"). */
  file: string;
  /** 1-based line of the record in its file (1 for .eml files). */
  line: number;
  /** The set it belongs to: the first folder under the corpus (e.g. "clean", "positives"). */
  set: string;
  expect: Category[];
  note: string;
  to: CorpusRecipient;
  /** How the MIME was built; "eml" for hand-made raw messages. */
  encoding: Encoding | 'eml';
  /** The complete RFC 5322 message as screened. */
  raw: Buffer;
  /** The record's body text (for YAML records); used to check no message copies a rule example. */
  body: string;
}
