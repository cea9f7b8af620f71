// What every matcher kind (pattern, words, phrase, detector) gives the engine: spans of the normalised text.

import type { OrganisationSettings } from '../types.js';
import type { ScreenText } from './screen-text.js';

export interface Span {
  /** Offsets in the normalised text (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  /** Detector detail, e.g. { numberType: 'mobile' }. */
  detail?: Record<string, string>;
}

export interface MatchContext {
  organisation: OrganisationSettings;
  /** Stop after this many spans: the caller records that a bound was hit. */
  limit: number;
}

export interface Matcher {
  find(screen: ScreenText, context: MatchContext): Span[];
}

/** An `unless` exception: does it match anywhere in the sentence? */
export interface SentenceTest {
  test(screen: ScreenText, sentence: number): boolean;
}
