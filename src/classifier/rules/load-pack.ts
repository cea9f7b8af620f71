// Reads one rule pack: YAML text -> validated rule specs, each remembering where in the file it was written.

import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { RuleFileError } from './rule-file-error.js';
import { CONTEXT_KEYS, disabledRuleSchema, packSchema, RULE_KEYS, ruleSchema, type RuleSpec } from './rule-schema.js';
import { positionOf, readYaml, type Position, type YamlSource } from './yaml-source.js';

export interface RuleSource {
  file: string;
  line: number;
  column: number;
  /** Position of a key or value inside this rule, e.g. ['pattern'] or ['examples', 'flag', 2]. */
  locate(path: readonly PropertyKey[]): Position;
}

export type LoadedRule =
  | { disabled: false; spec: RuleSpec; source: RuleSource }
  | { disabled: true; id: string; source: RuleSource };

export interface LoadedPack {
  file: string;
  name?: string;
  rules: LoadedRule[];
}

const PACK_KEYS = ['pack', 'description', 'rules'];
const UNLESS_KEYS = ['pattern', 'phrase', 'words'];
const NESTED_KEYS: Record<string, readonly string[]> = {
  context: CONTEXT_KEYS,
  examples: ['flag', 'pass'],
  unless: UNLESS_KEYS,
};

/** Parses and validates one pack. Throws RuleFileError at the first mistake, naming file, line and column. */
export function loadPack(file: string, text: string): LoadedPack {
  const { source, problems } = readYaml(file, text);
  const first = problems[0];
  if (first) throw errorAt(source, first.position, `YAML syntax: ${first.message}`);
  const top = source.doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (top === null || top === undefined) return { file, rules: [] };
  const pack = packSchema.safeParse(top);
  if (!pack.success) throw zodError(source, [], pack.error, PACK_KEYS, 'the pack');
  const rules = pack.data.rules.map((raw, index) => loadRule(source, index, raw));
  return { file, name: pack.data.pack, rules };
}

function loadRule(source: YamlSource, index: number, raw: unknown): LoadedRule {
  const base = ['rules', index];
  const at = positionOf(source, base);
  const ruleSource: RuleSource = {
    file: source.file,
    line: at.line,
    column: at.column,
    locate: (path) => positionOf(source, [...base, ...path]),
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw errorAt(source, at, `rules[${index}] must be a mapping with id, category, severity, a matcher and so on`);
  }
  const name = 'id' in raw && typeof raw.id === 'string' ? `rule "${raw.id}"` : `rules[${index}]`;
  if ('disabled' in raw) {
    const disabled = disabledRuleSchema.safeParse(raw);
    if (!disabled.success) {
      throw zodError(
        source,
        base,
        disabled.error,
        ['id', 'disabled'],
        `${name} (a disabled rule has only id and disabled: true)`,
      );
    }
    return { disabled: true, id: disabled.data.id, source: ruleSource };
  }
  const rule = ruleSchema.safeParse(raw);
  if (!rule.success) throw zodError(source, base, rule.error, RULE_KEYS, name);
  const matchers = (['pattern', 'phrase', 'words', 'detector'] as const).filter((k) => rule.data[k] !== undefined);
  if (matchers.length !== 1) {
    const problem =
      matchers.length === 0
        ? `${name} needs one matcher: pattern, phrase, words or detector`
        : `${name} has ${matchers.join(' and ')}: a rule has exactly one matcher; split it into ${matchers.length} rules`;
    throw errorAt(source, matchers.length === 0 ? at : positionOf(source, base, matchers[1]), problem);
  }
  return { disabled: false, spec: rule.data, source: ruleSource };
}

function zodError(
  source: YamlSource,
  base: readonly PropertyKey[],
  error: z.ZodError,
  knownKeys: readonly string[],
  name: string,
): RuleFileError {
  // An unknown key is usually a misspelt known one, which zod also reports as missing: report the cause.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (issue === undefined) return errorAt(source, positionOf(source, base), `${name} is not valid`);
  const path = [...base, ...issue.path];
  const where = issue.path.length > 0 ? `${name}, ${issue.path.join('.')}` : name;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] as string;
    const known = issue.path.length === 0 ? knownKeys : (NESTED_KEYS[String(issue.path.at(-1))] ?? UNLESS_KEYS);
    return errorAt(source, positionOf(source, path, key), `${where}: unknown key "${key}"${didYouMean(key, known)}`);
  }
  const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
  if (missing) return errorAt(source, positionOf(source, base), `${name}: missing "${issue.path.join('.')}"`);
  const value: unknown = source.doc.getIn(path as unknown[]);
  return errorAt(source, positionOf(source, path), `${where}: ${describe(issue, value)}`);
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_value') {
    const values = issue.values.map(String);
    const hint = typeof value === 'string' ? didYouMean(value, values) : '';
    return `"${String(value)}" is not one of ${values.join(', ')}${hint}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

export function errorAt(source: YamlSource, position: Position, problem: string): RuleFileError {
  return new RuleFileError(source.file, position.line, position.column, problem, position.snippet);
}
