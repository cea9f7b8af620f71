// What evaluation needs from a screening: the action and the findings, from Chaperone or from the baseline.
import type { Action, Category, PartKind } from '../classifier/types.js';

export interface OutcomeFinding {
  rule: string;
  category: Category;
  text: string;
  part?: PartKind;
}

export interface ScreenOutcome {
  action: Action;
  findings: OutcomeFinding[];
  problems: string[];
}

/** A function that screens one raw message addressed to a recipient class. */
export type Screener = (raw: Buffer, recipientClass: 'pupil' | 'parent') => Promise<ScreenOutcome>;
