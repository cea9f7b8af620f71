// Runs every rule's own proof: each `flag:` example must give a finding from its rule, each `pass:` example none.
// Examples are screened as the plain-text body of a message to a pupil (or the rule's first recipient class).

import { classifyWith } from './classify.js';
import type { CompiledRule, CompiledRules, RuleExample } from './rules/compile.js';
import type { ClassifyOptions } from './types.js';

export interface ExampleFailure {
  rule: string;
  kind: 'flag' | 'pass';
  example: string;
  file: string;
  line: number;
  column: number;
  /** What went wrong, in words: "gave no finding" or "was flagged: 'meet me'". */
  message: string;
}

export interface ExampleRun {
  examples: number;
  failures: ExampleFailure[];
}

/** Every failing example of every rule, in rule order. */
export function runRuleExamples(rules: CompiledRules, options: ClassifyOptions = {}): ExampleFailure[] {
  return runAllExamples(rules, options).failures;
}

/** Like runRuleExamples, also counting the examples run (for "N examples, N passed, N failed"). */
export function runAllExamples(rules: CompiledRules, options: ClassifyOptions = {}): ExampleRun {
  const failures: ExampleFailure[] = [];
  let examples = 0;
  for (const rule of rules.rules) {
    for (const kind of ['flag', 'pass'] as const) {
      for (const example of rule.examples[kind]) {
        examples++;
        const failure = check(rule, rules, example, kind, options);
        if (failure) failures.push(failure);
      }
    }
  }
  return { examples, failures };
}

function check(
  rule: CompiledRule,
  rules: CompiledRules,
  example: RuleExample,
  kind: 'flag' | 'pass',
  options: ClassifyOptions,
): ExampleFailure | undefined {
  const recipientClass = rule.recipients.has('pupil') ? 'pupil' : [...rule.recipients][0];
  const verdict = classifyWith(example.text, [rule], rules.tables, {
    ...options,
    recipientClass,
    categories: [rule.category],
  });
  const findings = verdict.findings.filter((f) => f.rule === rule.id);
  const base = {
    rule: rule.id,
    kind,
    example: example.text,
    file: example.file,
    line: example.line,
    column: example.column,
  };
  if (kind === 'flag' && findings.length === 0) {
    return { ...base, message: `flag example gave no finding from ${rule.id}` };
  }
  if (kind === 'pass' && findings.length > 0) {
    const texts = findings.map((f) => `"${f.text}"`).join(', ');
    return { ...base, message: `pass example was flagged by ${rule.id}: ${texts}` };
  }
  return undefined;
}
