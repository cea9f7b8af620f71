// Screens a message through the real pipeline, as the relay does: parseMime -> classify with the school's settings.
import { classify, parseMime, type CompiledRules } from '../classifier/index.js';
import type { Config } from '../config/schema.js';
import type { Screener } from './screen-outcome.js';

export function chaperoneScreener(config: Config, rules: CompiledRules): Screener {
  const organisation = {
    name: config.organisation.name,
    domains: config.organisation.domains,
    phones: config.organisation.phones,
    accounts: config.organisation.accounts,
  };
  const thresholds = { tag: config.thresholds.tag, hold: config.thresholds.hold };
  return async (raw, recipientClass) => {
    const input = await parseMime(raw);
    const verdict = classify(input, rules, {
      recipientClass,
      organisation,
      thresholds,
      categories: config.policy[recipientClass].categories,
    });
    return {
      action: verdict.action,
      findings: verdict.findings.map((finding) => ({
        rule: finding.rule,
        category: finding.category,
        text: finding.text,
        part: finding.part,
      })),
      problems: verdict.problems,
    };
  };
}
