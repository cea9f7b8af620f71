// What surrounds a match: `context` raise/lower words within a window of words in the same sentence (or a few before),
// `unless` exceptions tested on the match's sentence, and whether the match sits in a negated clause.

import type { SentenceTest, Span } from './matchers/matcher.js';
import type { ScreenText } from './matchers/screen-text.js';
import { entryWords } from './matchers/token-index.js';
import { firstTokenAfter, lookupForms, type Token } from './matchers/tokens.js';
import { SEVERITIES, type Severity } from './types.js';

export interface CompiledContext {
  window: number;
  /** Sentences before the match's own whose words count too (0: the match's sentence only). */
  before: number;
  raise: readonly (readonly string[])[];
  lower: readonly (readonly string[])[];
}

export function compileContext(spec: {
  window: number;
  before?: number;
  raise: readonly string[];
  lower: readonly string[];
}): CompiledContext {
  const words = (list: readonly string[]): string[][] =>
    list.map((entry) => {
      const w = entryWords(entry);
      if (w.length === 0) throw new Error(`"${entry}" has no letters or digits to look for`);
      return w;
    });
  return { window: spec.window, before: spec.before ?? 0, raise: words(spec.raise), lower: words(spec.lower) };
}

/**
 * The severity after context: one step up when a raise word is near, one step down when a lower word is
 * (both: unchanged). Undefined when lowered below low, which drops the match.
 */
export function severityInContext(
  screen: ScreenText,
  span: Span,
  severity: Severity,
  context: CompiledContext | undefined,
): Severity | undefined {
  if (!context) return severity;
  const sentence = screen.sentenceAt(span.start);
  const tokens = screen.tokens;
  const ofToken = screen.sentenceOfTokens();
  const first = firstTokenAfter(tokens, span.start);
  let last = firstTokenAfter(tokens, span.end);
  if (last < first) last = first;
  const from = Math.max(0, first - context.window);
  const to = Math.min(tokens.length, last + context.window);
  const near = (entries: readonly (readonly string[])[]): boolean => {
    for (let i = from; i < to; i++) {
      if (i >= first && i < last) continue;
      const of = ofToken[i] as number;
      if (of < 0 || of > sentence || of < sentence - context.before) continue;
      if (entries.some((words) => wordsAt(tokens, i, words, to))) return true;
    }
    return false;
  };
  const step = (near(context.raise) ? 1 : 0) - (near(context.lower) ? 1 : 0);
  const level = SEVERITIES.indexOf(severity) + step;
  if (level < 0) return undefined;
  return SEVERITIES[Math.min(level, SEVERITIES.length - 1)];
}

function wordsAt(tokens: readonly Token[], at: number, words: readonly string[], limit: number): boolean {
  if (at + words.length > limit) return false;
  return words.every((word, k) => lookupForms((tokens[at + k] as Token).text).includes(word));
}

/** Whether any `unless` exception matches the sentence of the span. */
export function excepted(screen: ScreenText, span: Span, exceptions: readonly SentenceTest[]): boolean {
  if (exceptions.length === 0) return false;
  const sentence = screen.sentenceAt(span.start);
  return sentence >= 0 && exceptions.some((exception) => exception.test(screen, sentence));
}

/** How far back from a match a negation is looked for: "I would never ever ask you to ..." */
const NEGATION_WINDOW = 8;

const NEGATORS = new Set(['not', 'never', 'no', 'nobody', 'nothing', 'neither', 'nor', 'without', 'cannot', 'none']);
const CLAUSE_BREAK = /[,;:()–—]/;
const CLAUSE_WORDS = new Set(['but', 'although', 'though', 'however']);

function isNegator(token: string): boolean {
  return (
    NEGATORS.has(token) ||
    token.endsWith("n't") ||
    /^(?:do|does|did|wo|ca|could|would|should|is|are|was|were|must)nt$/.test(token)
  );
}

/**
 * Whether the match sits in a negated clause: a negator within NEGATION_WINDOW words before it, in the same
 * sentence, with no clause break (comma, semicolon, "but") in between.
 */
export function isNegated(screen: ScreenText, span: Span): boolean {
  const tokens = screen.tokens;
  const sentence = screen.sentenceAt(span.start);
  const ofToken = screen.sentenceOfTokens();
  const first = firstTokenAfter(tokens, span.start);
  let boundary = span.start;
  for (let i = first - 1; i >= 0 && i >= first - NEGATION_WINDOW; i--) {
    const token = tokens[i] as Token;
    if (ofToken[i] !== sentence) break;
    if (CLAUSE_BREAK.test(screen.text.slice(token.end, boundary)) || CLAUSE_WORDS.has(token.text)) break;
    if (isNegator(token.text)) return true;
    boundary = token.start;
  }
  return false;
}
