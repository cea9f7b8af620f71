// Screening as the relay uses it: compile a configuration's rules once, then screen many messages with them. It runs
// on worker threads (screening-threads.ts, the default) or, with screening.threads 0, on the main thread (below).
import type { Config } from '../config/schema.js';
import { readRulePacks } from '../config/rule-packs.js';
import type { MessagePolicy } from './policy.js';
import type { RuleSummary, ScreeningInput, ScreenResult } from './screen-result.js';

/** A rule set compiled by a screener. A message is screened with the set that was current when its DATA ended. */
export interface ScreeningRules {
  readonly rules: readonly RuleSummary[];
  /** Not errors, but worth telling the admin (e.g. a local pack disables an id that no pack has). */
  readonly warnings: readonly string[];
}

export interface Screener {
  /** Reads and compiles the rules `config` names; rejects with a RuleFileError for a mistake in a pack. */
  load(config: Config): Promise<ScreeningRules>;
  /** Screens one message. Rejects only when screening cannot run at all (the relay then answers 4xx). */
  screen(raw: Buffer, policy: MessagePolicy, rules: ScreeningRules): Promise<ScreenResult>;
  /** The set is no longer current: it is freed once the messages still using it are screened. */
  retire(rules: ScreeningRules): void;
  close(): Promise<void>;
}

export async function screeningInput(config: Config): Promise<ScreeningInput> {
  return {
    packs: await readRulePacks(config),
    organisation: config.organisation,
    thresholds: config.thresholds,
  };
}

/**
 * Screens on the calling thread. The classifier (and the NLP library with it) is loaded on first use, so a process
 * that screens on worker threads never loads it on its main thread.
 */
export function inProcessScreener(): Screener {
  const compiled = new WeakMap<ScreeningRules, import('./screen.js').ScreenSettings>();
  return {
    async load(config) {
      const input = await screeningInput(config);
      const { compileScreenSettings, ruleSummaries } = await import('./screen.js');
      const settings = compileScreenSettings(input);
      const rules: ScreeningRules = { rules: ruleSummaries(settings), warnings: settings.rules.warnings };
      compiled.set(rules, settings);
      return rules;
    },
    async screen(raw, policy, rules) {
      const settings = compiled.get(rules);
      if (settings === undefined) throw new Error('screened with a rule set this screener did not load');
      const { screen } = await import('./screen.js');
      return screen(raw, policy, settings);
    },
    retire() {
      // The WeakMap lets the compiled set go with the last message holding its ScreeningRules.
    },
    async close() {},
  };
}
