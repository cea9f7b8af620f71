// What the relay's main thread and its screening threads say to each other (see screening-threads.ts).
import type { MessagePolicy } from './policy.js';
import type { RuleSummary, ScreeningInput, ScreenResult } from './screen-result.js';

export type ToScreeningThread =
  | { type: 'load'; generation: number; input: ScreeningInput }
  | { type: 'retire'; generation: number }
  | { type: 'screen'; id: number; generation: number; raw: Uint8Array; policy: MessagePolicy };

/** A mistake in a rule pack, as RuleFileError's fields, so the main thread can rebuild the same error. */
export interface RuleFileFault {
  file: string;
  line: number;
  column: number;
  problem: string;
  snippet?: string;
}

export type FromScreeningThread =
  | { type: 'loaded'; generation: number; rules: RuleSummary[]; warnings: string[] }
  | { type: 'load-failed'; generation: number; ruleFile?: RuleFileFault; message: string }
  | { type: 'screened'; id: number; result: ScreenResult };
