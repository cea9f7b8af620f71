// The shape of one rule in a rule pack, validated with zod after the YAML is read (see docs/rule-writing.md).

import { z } from 'zod';
import { CATEGORIES, PART_KINDS, RECIPIENT_CLASSES, SEVERITIES } from '../types.js';

export const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Quoted replies are never screened (a pupil's words are not the sender's), so a rule cannot ask for them. */
export const SCREENED_PART_KINDS = PART_KINDS.filter((kind) => kind !== 'quoted');

export const MATCHER_KINDS = ['pattern', 'phrase', 'words', 'detector'] as const;
export type MatcherKind = (typeof MATCHER_KINDS)[number];

const text = z.string().trim().min(1, 'must not be empty');
const wordList = z.array(text).min(1, 'needs at least one entry');

/** A detector and its options; the options are checked against the detector's own schema when rules compile. */
const detectorSpec = z.looseObject({ name: text });

/** How many sentences before the match's own an exception may also look at ("a surprise ... Keep it secret!"). */
export const MAX_EXCEPTION_REACH = 3;

const exception = z
  .object({
    pattern: text.optional(),
    phrase: text.optional(),
    words: wordList.optional(),
    before: z.number().int().min(0).max(MAX_EXCEPTION_REACH).default(0),
  })
  .strict()
  .refine((e) => [e.pattern, e.phrase, e.words].filter((m) => m !== undefined).length === 1, {
    message: 'each unless entry needs exactly one of pattern, phrase or words',
  });

/** How many sentences before the match's own its context words may come from ("In bed, bored. Company? 😉"). */
export const MAX_CONTEXT_REACH = 3;

const context = z
  .object({
    window: z.number().int().min(1).max(50).default(10),
    before: z.number().int().min(0).max(MAX_CONTEXT_REACH).default(0),
    raise: z.array(text).default([]),
    lower: z.array(text).default([]),
  })
  .strict();

const examples = z.object({ flag: z.array(z.string()).default([]), pass: z.array(z.string()).default([]) }).strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(RULE_ID, 'rule ids are lower-case letters, digits and dashes, e.g. "secrecy-dont-tell"'),
    category: z.enum(CATEGORIES),
    severity: z.enum(SEVERITIES),
    pattern: text.optional(),
    phrase: text.optional(),
    words: wordList.optional(),
    detector: detectorSpec.optional(),
    context: context.optional(),
    unless: z.array(exception).optional(),
    negation: z.enum(['skip', 'keep']).default('keep'),
    recipients: z.array(z.enum(RECIPIENT_CLASSES)).min(1).default(['pupil', 'parent']),
    parts: z
      .array(z.enum(SCREENED_PART_KINDS as [string, ...string[]]))
      .min(1)
      .default(SCREENED_PART_KINDS),
    guidance: text,
    explain: text,
    advice: text,
    examples: examples.prefault({}),
  })
  .strict();

/** A local override that switches a shipped rule off. */
export const disabledRuleSchema = z.object({ id: z.string().regex(RULE_ID), disabled: z.literal(true) }).strict();

export const packSchema = z
  .object({ pack: z.string().optional(), description: z.string().optional(), rules: z.array(z.unknown()) })
  .strict();

export type RuleSpec = z.infer<typeof ruleSchema>;
export type DetectorSpec = z.infer<typeof detectorSpec>;
export type ExceptionSpec = z.infer<typeof exception>;

/** Every key a rule may have, for "did you mean" suggestions. */
export const RULE_KEYS = Object.keys(ruleSchema.shape).concat('disabled');
export const CONTEXT_KEYS = Object.keys(context.shape);
