// What screening gives back, and the plain data a rule set is compiled from: types and small helpers only, so the
// relay's main thread can use them without loading the classifier (which runs on the screening threads).
import type { ClassifyOptions, Verdict } from '../classifier/types.js';
import type { RulePackTexts } from '../config/rule-packs.js';
import type { HoldReason } from './hold-store.js';

export interface ScreenResult {
  verdict: Verdict;
  /** Set when the message could not be read or screened: it is held (or tagged in monitor mode) whatever its score. */
  problem?: Exclude<HoldReason, 'flagged'>;
  /** The subject as the MIME parser decoded it, when it could. */
  subject?: string;
  /** Why screening failed, for the log (never message text). */
  error?: string;
}

/** What a rule set is compiled from: the pack texts (read by the main thread) and the school's settings. */
export interface ScreeningInput {
  packs: RulePackTexts;
  organisation: NonNullable<ClassifyOptions['organisation']>;
  thresholds: NonNullable<ClassifyOptions['thresholds']>;
}

/** A compiled rule as the review app's admin page lists it. */
export interface RuleSummary {
  id: string;
  category: string;
  severity: string;
  file: string;
  local: boolean;
}

export function unscreenedVerdict(problem: string): Verdict {
  return { action: 'hold', score: 0, categories: [], findings: [], parts: [], problems: [problem] };
}

/** The result for a message that could not be screened at all: held, never passed. */
export function unscreenedProblem(problem: string, error: string): ScreenResult {
  return { verdict: unscreenedVerdict(problem), problem: 'screening-failed', error };
}
