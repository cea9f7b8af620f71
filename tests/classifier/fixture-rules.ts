// Compiles the engine's own fixture packs (tests/fixtures/rules/), not the shipped ones.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { compileRules, type CompiledRules, type RulePackText } from '../../src/classifier/index.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/rules');

export function packsIn(folder: string): RulePackText[] {
  const dir = path.join(FIXTURES, folder);
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => ({ file: path.join(dir, n), text: readFileSync(path.join(dir, n), 'utf8') }));
}

export function fixtureRules(): CompiledRules {
  return compileRules(packsIn('basic'));
}

/** Compiles one in-memory pack of the given rule YAML (indented as list items under `rules:`). */
export function compileYaml(rulesYaml: string, file = 'test.yaml'): CompiledRules {
  return compileRules([{ file, text: `rules:\n${rulesYaml}` }]);
}

/** A complete rule in YAML with the given matcher line(s), for tests that vary one thing. */
export function rule(id: string, matcher: string, extra = ''): string {
  return `  - id: ${id}
    category: personal-content
    severity: medium
    ${matcher}
    guidance: Confidentiality
    explain: Test rule.
    advice: Test advice.
${extra}`;
}
