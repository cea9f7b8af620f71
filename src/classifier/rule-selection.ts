// Which compiled rules screen which parts of a message: per recipient class and policy categories (an audience), and
// per part kind. Worked out once per rule list and audience, not per message.

import { CleanSignatures } from './clean-signatures.js';
import type { ScanTables } from './matchers/screen-text.js';
import type { CompiledRule } from './rules/compile.js';
import {
  CATEGORIES,
  type Category,
  type MessagePart,
  type OrganisationSettings,
  type PartKind,
  type RecipientClass,
} from './types.js';

/**
 * An HTML-only message carries its body in the html part, text hidden in it is part of the body, and an attachment's
 * text is read like a body, so a rule for the body screens those too.
 */
const BODY_LIKE: ReadonlySet<PartKind> = new Set(['html', 'hidden', 'attachment']);

export function appliesToPart(rule: CompiledRule, part: MessagePart): boolean {
  return appliesToKind(rule, part.kind);
}

function appliesToKind(rule: CompiledRule, kind: PartKind): boolean {
  return rule.parts.has(kind) || (BODY_LIKE.has(kind) && rule.parts.has('body'));
}

/** The rules that apply to one kind of part, in rule order, and as a set. */
export interface KindRules {
  rules: readonly CompiledRule[];
  set: ReadonlySet<CompiledRule>;
  /** Whether a rule here is not in `other` (memoised: asked once per HTML alternative). */
  hasRulesBeyond(other: KindRules): boolean;
}

/** The active rules for one recipient class and set of categories, by part kind. */
export interface RuleSelection {
  forKind(kind: PartKind): KindRules;
  /** The signatures found clean for this audience with these scan tables and organisation settings. */
  cleanSignatures(tables: ScanTables, organisation: OrganisationSettings): CleanSignatures;
}

/**
 * Selections worked out before, per rule list and audience. Filtering every rule for every part cost about 3% of
 * screening a school e-mail (measured on bench/school-mail.ts); rule lists are not changed once compiled, so the
 * filtering is done once. Entries go with their rule list.
 */
const selections = new WeakMap<readonly CompiledRule[], Map<string, RuleSelection>>();
/** Audiences remembered per rule list; there is one per recipient class and policy category list, so a few dozen. */
const MAX_SELECTIONS = 64;

export function ruleSelection(
  rules: readonly CompiledRule[],
  recipientClass: RecipientClass,
  categoryList: readonly Category[] | undefined,
): RuleSelection {
  let byAudience = selections.get(rules);
  if (byAudience === undefined) {
    byAudience = new Map();
    selections.set(rules, byAudience);
  }
  const audience = categoryList === undefined ? recipientClass : `${recipientClass}:${categoryList.join(',')}`;
  let selection = byAudience.get(audience);
  if (selection === undefined) {
    if (byAudience.size >= MAX_SELECTIONS) byAudience.clear();
    selection = selectRules(rules, recipientClass, new Set(categoryList ?? CATEGORIES));
    byAudience.set(audience, selection);
  }
  return selection;
}

function selectRules(
  rules: readonly CompiledRule[],
  recipientClass: RecipientClass,
  categories: ReadonlySet<Category>,
): RuleSelection {
  const active = rules.filter((r) => r.recipients.has(recipientClass) && categories.has(r.category));
  const byKind = new Map<PartKind, KindRules>();
  const forKind = (kind: PartKind): KindRules => {
    let found = byKind.get(kind);
    if (found === undefined) {
      const list = active.filter((rule) => appliesToKind(rule, kind));
      const set = new Set(list);
      const beyond = new Map<KindRules, boolean>();
      found = {
        rules: list,
        set,
        hasRulesBeyond(other) {
          let answer = beyond.get(other);
          if (answer === undefined) {
            answer = list.some((rule) => !other.set.has(rule));
            beyond.set(other, answer);
          }
          return answer;
        },
      };
      byKind.set(kind, found);
    }
    return found;
  };
  const memos = new WeakMap<ScanTables, WeakMap<OrganisationSettings, CleanSignatures>>();
  const cleanSignatures: RuleSelection['cleanSignatures'] = (tables, organisation) => {
    let byOrganisation = memos.get(tables);
    if (byOrganisation === undefined) {
      byOrganisation = new WeakMap();
      memos.set(tables, byOrganisation);
    }
    let memo = byOrganisation.get(organisation);
    if (memo === undefined) {
      memo = new CleanSignatures();
      byOrganisation.set(organisation, memo);
    }
    return memo;
  };
  return { forKind, cleanSignatures };
}
