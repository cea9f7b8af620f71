// Screens one message with the classifier: parse the MIME, classify as the message's strictest recipient class.
// A parse failure or a classifier exception never lets mail through unscreened: it comes back as a problem to hold.
import { classify, compileRules, parseMime } from '../classifier/index.js';
import type { ClassifyOptions, Verdict } from '../classifier/types.js';
import { unscreenedVerdict, type RuleSummary, type ScreeningInput, type ScreenResult } from './screen-result.js';
import type { MessagePolicy } from './policy.js';

export type { RuleSummary, ScreeningInput, ScreenResult } from './screen-result.js';

/** The compiled rule set the classifier screens with (built once per load by loadRules). */
export type CompiledRuleSet = Parameters<typeof classify>[1];

export interface ScreenSettings {
  rules: CompiledRuleSet;
  organisation: NonNullable<ClassifyOptions['organisation']>;
  thresholds: NonNullable<ClassifyOptions['thresholds']>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export async function screen(raw: Buffer, policy: MessagePolicy, settings: ScreenSettings): Promise<ScreenResult> {
  let input: Awaited<ReturnType<typeof parseMime>>;
  try {
    input = await parseMime(raw);
  } catch (error) {
    return {
      verdict: unscreenedVerdict('The message could not be read as MIME, so it was not screened'),
      problem: 'unreadable',
      error: errorText(error),
    };
  }
  let verdict: Verdict;
  try {
    verdict = classify(input, settings.rules, {
      recipientClass: policy.recipientClass,
      categories: policy.categories,
      organisation: settings.organisation,
      thresholds: settings.thresholds,
    });
  } catch (error) {
    return {
      verdict: unscreenedVerdict('Screening failed with an internal error, so the message was held to be safe'),
      problem: 'screening-failed',
      subject: input.subject,
      error: errorText(error),
    };
  }
  const unreadable = (input.problems?.length ?? 0) > 0;
  return unreadable ? { verdict, problem: 'unreadable', subject: input.subject } : { verdict, subject: input.subject };
}

/** Compiles the rule packs once; throws RuleFileError for a mistake in a pack. */
export function compileScreenSettings(input: ScreeningInput): ScreenSettings {
  const rules = compileRules(input.packs.shipped, { local: input.packs.local });
  return { rules, organisation: input.organisation, thresholds: input.thresholds };
}

export function ruleSummaries(settings: ScreenSettings): RuleSummary[] {
  return settings.rules.rules.map((rule) => ({
    id: rule.id,
    category: rule.category,
    severity: rule.severity,
    file: rule.file,
    local: rule.local,
  }));
}
