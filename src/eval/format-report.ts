// Renders an evaluation for people: a text report for the terminal and Markdown tables ready for the README.
import { CATEGORIES } from '../classifier/types.js';
import type { DatasetResult } from './datasets.js';
import { GATE, percent, type Extra, type Miss, type ScoredMessage } from './metrics.js';
import type { BaselineEvaluation, CorpusEvaluation } from './run-eval.js';

export interface EvalReport {
  corpus: string;
  evaluation: CorpusEvaluation;
  baseline?: BaselineEvaluation;
  datasets: DatasetResult[];
}

export const HIT_DEFINITION =
  'A message counts as caught for a category when Chaperone holds it with a finding of that category (what the DSL sees).';
export const DATASET_CAVEAT =
  'Each text was wrapped as the plain-text body of an e-mail from a staff address to a pupil; chat and speech are not e-mail.';

/** Longest finding text quoted in a report line: enough to recognise it, short enough to read. */
const QUOTE_CHARS = 60;

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS - 1)}…` : flat;
}

function findingsText(message: ScoredMessage): string {
  const findings = message.findings.map((finding) => `${finding.rule} "${quote(finding.text)}"`);
  const problems = message.problems.map((problem) => `problem: ${problem}`);
  const all = [...findings, ...problems];
  return all.length === 0 ? 'no findings' : all.join('; ');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function missLine(miss: Miss): string {
  return `  ${miss.file}:${miss.line} ${miss.id}: missed ${miss.missing.join(', ')} (${miss.action}; ${findingsText(miss)})`;
}

function holdLine(message: ScoredMessage): string {
  return `  ${message.file}:${message.line} ${message.id}: held (${findingsText(message)})`;
}

function extraLine(extra: Extra): string {
  return `  ${extra.file}:${extra.line} ${extra.id}: also held for ${extra.unexpected.join(', ')} (${findingsText(extra)})`;
}

export function formatDatasets(datasets: readonly DatasetResult[]): string[] {
  if (datasets.length === 0) return [];
  const lines = [
    '',
    `Real-world sets. ${DATASET_CAVEAT}`,
    'Flagged = held or tagged; the category columns count flagged messages with a finding of it.',
  ];
  for (const dataset of datasets) {
    lines.push('', `${dataset.file} (${dataset.total} rows)`);
    const rows = [['  label', 'rows', 'flagged', 'held', ...CATEGORIES]];
    for (const label of dataset.labels) {
      const share = (count: number): string => `${count} (${percent(label.total === 0 ? 0 : count / label.total)})`;
      rows.push([
        `  ${label.label}`,
        String(label.total),
        share(label.flagged),
        share(label.held),
        ...CATEGORIES.map((category) => share(label.categories[category])),
      ]);
    }
    lines.push(...table(rows));
  }
  return lines;
}

export function formatText(report: EvalReport): string {
  const { evaluation, baseline } = report;
  const positives = evaluation.total - evaluation.clean.total;
  const lines = [
    `Chaperone evaluation of ${report.corpus}: ${evaluation.total} messages (${evaluation.clean.total} clean, ${positives} flagged by hand)`,
    HIT_DEFINITION,
    '',
  ];
  const header = ['category', 'precision', 'recall', 'F1', 'support', 'gate'];
  if (baseline) header.push('| regex P', 'regex R', 'regex F1');
  const rows = [header];
  for (const category of CATEGORIES) {
    const score = evaluation.categories[category];
    const row = [
      category,
      percent(score.precision),
      percent(score.recall),
      percent(score.f1),
      String(score.support),
      `>= ${percent(GATE.recall[category])}`,
    ];
    if (baseline) {
      const regex = baseline.categories[category];
      row.push(`| ${percent(regex.precision)}`, percent(regex.recall), percent(regex.f1));
    }
    rows.push(row);
  }
  lines.push(...table(rows), '');
  const clean = evaluation.clean;
  lines.push(
    `False holds on clean mail: ${percent(clean.falseHoldRate)} (${clean.held} of ${clean.total}; gate <= ${percent(GATE.maxFalseHoldRate)}); ` +
      `${clean.tagged} clean messages tagged but delivered` +
      (baseline
        ? `; regex baseline ${percent(baseline.clean.falseHoldRate)} (${baseline.clean.held} of ${baseline.clean.total})`
        : ''),
  );
  const t = evaluation.timing;
  lines.push(
    `Time per message (parse + classify): mean ${t.meanMs} ms, p50 ${t.p50Ms} ms, p99 ${t.p99Ms} ms, max ${t.maxMs} ms`,
  );
  if (baseline)
    lines.push(`Regex baseline time per message: mean ${baseline.timing.meanMs} ms, p99 ${baseline.timing.p99Ms} ms`);

  lines.push('', `Misses (${evaluation.misses.length}):`, ...evaluation.misses.map(missLine));
  lines.push(
    '',
    `False holds on clean mail (${evaluation.falseHolds.length}):`,
    ...evaluation.falseHolds.map(holdLine),
  );
  if (evaluation.extras.length > 0) {
    lines.push(
      '',
      `Held for a category they are not labelled with (${evaluation.extras.length}):`,
      ...evaluation.extras.map(extraLine),
    );
  }
  lines.push(...formatDatasets(report.datasets));
  lines.push(
    '',
    evaluation.gate.passed
      ? 'Quality gate: passed.'
      : `Quality gate: FAILED.\n${evaluation.gate.failures.map((failure) => `  ${failure}`).join('\n')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The README's "How well it works" table: Chaperone beside the regex-only baseline. */
export function formatMarkdown(report: EvalReport): string {
  const { evaluation, baseline } = report;
  const lines = [
    `Corpus: ${evaluation.total} messages, ${evaluation.clean.total} of them clean. ${HIT_DEFINITION}`,
    '',
    baseline
      ? '| Category | Precision | Recall | F1 | Support | Regex-only precision | Regex-only recall | Regex-only F1 |'
      : '| Category | Precision | Recall | F1 | Support |',
    baseline ? '|---|---:|---:|---:|---:|---:|---:|---:|' : '|---|---:|---:|---:|---:|',
  ];
  for (const category of CATEGORIES) {
    const s = evaluation.categories[category];
    const cells = [category, percent(s.precision), percent(s.recall), percent(s.f1), String(s.support)];
    if (baseline) {
      const b = baseline.categories[category];
      cells.push(percent(b.precision), percent(b.recall), percent(b.f1));
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const c = evaluation.clean;
  lines.push(
    '',
    baseline ? '| Clean mail | Chaperone | Regex-only |' : '| Clean mail | Chaperone |',
    baseline ? '|---|---:|---:|' : '|---|---:|',
    `| False holds | ${percent(c.falseHoldRate)} (${c.held} of ${c.total}) |` +
      (baseline
        ? ` ${percent(baseline.clean.falseHoldRate)} (${baseline.clean.held} of ${baseline.clean.total}) |`
        : ''),
  );
  lines.push(
    '',
    `Time per message (parse + classify, one core): p50 ${evaluation.timing.p50Ms} ms, p99 ${evaluation.timing.p99Ms} ms.`,
  );
  if (report.datasets.length > 0) {
    lines.push('', `Real-world sets (${DATASET_CAVEAT})`, '');
    lines.push('| Set | Label | Rows | Flagged | Held | ' + CATEGORIES.join(' | ') + ' |');
    lines.push('|---|---|---:|---:|---:|' + CATEGORIES.map(() => '---:').join('|') + '|');
    for (const dataset of report.datasets) {
      for (const label of dataset.labels) {
        const share = (count: number): string => percent(label.total === 0 ? 0 : count / label.total);
        lines.push(
          `| ${dataset.file} | ${label.label} | ${label.total} | ${share(label.flagged)} | ${share(label.held)} | ${CATEGORIES.map((category) => share(label.categories[category])).join(' | ')} |`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The `--format json` document. */
export function toJson(report: EvalReport): unknown {
  const { evaluation, baseline } = report;
  const category = (score: CorpusEvaluation['categories']) =>
    Object.fromEntries(
      CATEGORIES.map((name) => {
        const s = score[name];
        return [name, { precision: s.precision, recall: s.recall, f1: s.f1, support: s.support }];
      }),
    );
  const brief = (message: ScoredMessage) => ({
    id: message.id,
    file: message.file,
    line: message.line,
    note: message.note,
    expect: message.expect,
    action: message.action,
    findings: message.findings.map((finding) => ({
      rule: finding.rule,
      category: finding.category,
      text: finding.text,
    })),
    problems: message.problems,
  });
  return {
    corpus: report.corpus,
    total: evaluation.total,
    clean: {
      total: evaluation.clean.total,
      passed: evaluation.clean.passed,
      tagged: evaluation.clean.tagged,
      falseHoldRate: evaluation.clean.falseHoldRate,
    },
    categories: category(evaluation.categories),
    misses: evaluation.misses.map((miss) => ({ ...brief(miss), missing: miss.missing })),
    falseHolds: evaluation.falseHolds.map(brief),
    extras: evaluation.extras.map((extra) => ({ ...brief(extra), unexpected: extra.unexpected })),
    gate: evaluation.gate,
    baseline: baseline
      ? {
          description:
            'Postfix-style PCRE body_checks (corpus/baseline/body_checks.pcre) run with RE2 over decoded lines',
          clean: {
            total: baseline.clean.total,
            passed: baseline.clean.passed,
            falseHoldRate: baseline.clean.falseHoldRate,
          },
          categories: category(baseline.categories),
          timing: baseline.timing,
        }
      : null,
    timing: evaluation.timing,
    datasets:
      report.datasets.length === 0 ? [] : report.datasets.map((dataset) => ({ ...dataset, caveat: DATASET_CAVEAT })),
  };
}
