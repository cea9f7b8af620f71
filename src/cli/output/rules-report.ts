// How `chaperone rules test` and `chaperone rules list` print.

import type { CompiledRules, ExampleRun } from '../../classifier/index.js';
import { displayPath, type Palette } from './colour.js';

export function exampleReport(run: ExampleRun, rules: CompiledRules, colour: Palette): string {
  const out: string[] = [];
  // A rule carries its own proof: one without a flag: example is untested, though not wrong.
  for (const rule of rules.rules.filter((r) => r.examples.flag.length === 0)) {
    out.push(
      `${displayPath(rule.file)}:${rule.line}  ${colour.yellow('warning')} rule ${rule.id} has no flag: examples`,
    );
  }
  for (const f of run.failures) {
    out.push(`${displayPath(f.file)}:${f.line}:${f.column}  ${colour.red('✖')} ${f.message}`);
    out.push(`    ${colour.dim(f.kind + ':')} ${JSON.stringify(f.example)}`);
  }
  const failed = run.failures.length;
  const line = `${run.examples} examples, ${run.examples - failed} passed, ${failed} failed`;
  out.push(failed > 0 ? colour.bold(colour.red(line)) : line);
  return out.join('\n');
}

export interface ListedRule {
  id: string;
  category: string;
  severity: string;
  kind: string;
  file: string;
  line: number;
  local: boolean;
  summary: string;
}

export function listedRules(rules: CompiledRules): ListedRule[] {
  return rules.rules.map((r) => ({
    id: r.id,
    category: r.category,
    severity: r.severity,
    kind: r.kind,
    file: displayPath(r.file),
    line: r.line,
    local: r.local,
    summary: r.summary,
  }));
}

export function ruleTable(rules: readonly ListedRule[]): string {
  const header = { id: 'ID', category: 'CATEGORY', severity: 'SEVERITY', kind: 'MATCHER', where: 'FILE' };
  const rows = [header, ...rules.map((r) => ({ ...r, where: `${r.file}:${r.line}${r.local ? ' (local)' : ''}` }))];
  const width = (key: keyof typeof header): number => Math.max(...rows.map((row) => row[key].length));
  const columns = ['id', 'category', 'severity', 'kind'] as const;
  const lines = rows.map((row) => [...columns.map((c) => row[c].padEnd(width(c))), row.where].join('  '));
  lines.push('', `${rules.length} rules`);
  return lines.join('\n');
}
