// Merges a school's local packs over the shipped ones by rule id: a local rule replaces the shipped rule
// with the same id, and `{ id, disabled: true }` switches a shipped rule off. Shipped packs are never edited.

import type { LoadedPack, LoadedRule, RuleSource } from './load-pack.js';
import { RuleFileError } from './rule-file-error.js';
import type { RuleSpec } from './rule-schema.js';
import { didYouMean } from './did-you-mean.js';

export interface ActiveRule {
  spec: RuleSpec;
  source: RuleSource;
  /** True when a local pack replaced the shipped rule or added this one. */
  local: boolean;
}

export interface MergedRules {
  rules: ActiveRule[];
  /** Things worth telling the admin that do not stop the rules loading (e.g. disabling an id no pack has). */
  warnings: string[];
}

export function mergePacks(shipped: readonly LoadedPack[], local: readonly LoadedPack[] = []): MergedRules {
  const active = new Map<string, ActiveRule>();
  for (const rule of uniqueRules(shipped)) {
    if (rule.disabled) {
      throw located(rule.source, `"disabled: true" belongs in a local pack (rules.local), not a shipped one`);
    }
    active.set(rule.spec.id, { spec: rule.spec, source: rule.source, local: false });
  }
  const shippedIds = [...active.keys()];
  const warnings: string[] = [];
  for (const rule of uniqueRules(local)) {
    if (!rule.disabled) {
      active.set(rule.spec.id, { spec: rule.spec, source: rule.source, local: true });
    } else if (active.delete(rule.id) === false) {
      const where = `${rule.source.file}:${rule.source.line}`;
      warnings.push(
        `${where}: disables "${rule.id}", but no shipped rule has that id${didYouMean(rule.id, shippedIds)}`,
      );
    }
  }
  return { rules: [...active.values()], warnings };
}

/** The rules of a set of packs, checking that no id is used twice among them. */
function uniqueRules(packs: readonly LoadedPack[]): LoadedRule[] {
  const seen = new Map<string, RuleSource>();
  const rules: LoadedRule[] = [];
  for (const pack of packs) {
    for (const rule of pack.rules) {
      const id = rule.disabled ? rule.id : rule.spec.id;
      const earlier = seen.get(id);
      if (earlier) {
        throw located(rule.source, `duplicate rule id "${id}": already used at ${earlier.file}:${earlier.line}`);
      }
      seen.set(id, rule.source);
      rules.push(rule);
    }
  }
  return rules;
}

function located(source: RuleSource, problem: string): RuleFileError {
  const at = source.locate([]);
  return new RuleFileError(source.file, at.line, at.column, problem, at.snippet);
}
