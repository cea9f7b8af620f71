// How `chaperone check` reports: text in the manner of ESLint and Vale (file, line:column, severity, message,
// rule id, the excerpt marked), or one JSON array with an object per file.

import type { Action, Category, Finding, RecipientClass, SourceKind, Verdict } from '../../classifier/index.js';
import type { Palette } from './colour.js';
import { excerpt, locate } from './excerpt.js';

export interface CheckedFile {
  file: string;
  /** Whether the file was read as a MIME message (findings are then labelled with their part). */
  mime: boolean;
  verdict: Verdict;
  /** The decoded strings the parts were cut from, to place findings by line and column. */
  sources: Record<SourceKind, string>;
  /** The class the message was screened as. */
  recipientClass: RecipientClass;
  /** Set when the recipient's policy is `off`, so nothing was screened. */
  notScreened?: string;
  /** Anything else the reader should know about how the relay would treat this message. */
  note?: string;
}

export interface JsonFileReport {
  file: string;
  recipientClass: RecipientClass;
  screened: boolean;
  action: Action;
  score: number;
  categories: Category[];
  findings: (Finding & { line: number; column: number })[];
  problems: string[];
}

export function jsonReport(files: readonly CheckedFile[]): JsonFileReport[] {
  return files.map(({ file, verdict, sources, recipientClass, notScreened }) => ({
    file,
    recipientClass,
    screened: notScreened === undefined,
    action: verdict.action,
    score: verdict.score,
    categories: verdict.categories,
    findings: verdict.findings.map((f) => ({ ...f, ...placeOf(f, verdict, sources) })),
    problems: verdict.problems,
  }));
}

function placeOf(finding: Finding, verdict: Verdict, sources: Record<SourceKind, string>) {
  const part = verdict.parts[finding.partIndex];
  if (!part) return { line: 1, column: finding.start + 1 };
  return locate(sources[part.source], part.offset + finding.start);
}

const SEVERITY_WIDTH = 6;

export function textReport(files: readonly CheckedFile[], colour: Palette): string {
  const out: string[] = [];
  let findings = 0;
  for (const checked of files) {
    const { file, verdict, sources, mime } = checked;
    if (verdict.findings.length === 0 && verdict.problems.length === 0 && !checked.notScreened) continue;
    out.push(colour.underline(file));
    if (checked.notScreened) out.push(`  ${colour.dim(checked.notScreened)}`);
    for (const problem of verdict.problems) out.push(`  ${colour.red('problem')}  ${problem}`);
    for (const finding of verdict.findings) {
      findings++;
      const part = verdict.parts[finding.partIndex];
      const source = part ? sources[part.source] : '';
      const at = part ? part.offset + finding.start : finding.start;
      const { line, column } = placeOf(finding, verdict, sources);
      const where = `${mime ? `${finding.part} ` : ''}${line}:${column}`;
      const severity =
        finding.severity === 'high' ? colour.red : finding.severity === 'medium' ? colour.yellow : colour.dim;
      const repeat = finding.score === 0 ? colour.dim(' (repeat, not scored)') : '';
      out.push(
        `  ${where.padEnd(12)} ${severity(finding.severity.padEnd(SEVERITY_WIDTH))} ${headline(finding.explain)}  ${colour.dim(finding.rule)}${repeat}`,
      );
      for (const line of excerpt(source, at, at + (finding.end - finding.start), colour)) out.push(`      ${line}`);
    }
    out.push(`  ${verdictLine(verdict)}`);
    if (checked.note) out.push(`  ${colour.dim(`(${checked.note})`)}`);
    out.push('');
  }
  out.push(summary(files, findings, colour));
  return out.join('\n');
}

/** The explain's first sentence: what the finding is. The rest (why it matters) is in --format json and the review app. */
function headline(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

function verdictLine(verdict: Verdict): string {
  const what = { hold: 'held for the DSL', tag: 'delivered, tagged', pass: 'delivered' }[verdict.action];
  return `→ ${what} (score ${verdict.score})`;
}

function summary(files: readonly CheckedFile[], findings: number, colour: Palette): string {
  const held = files.filter((f) => f.verdict.action === 'hold').length;
  const tagged = files.filter((f) => f.verdict.action === 'tag').length;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (held + tagged === 0) return `✔ ${count(files.length, 'file')} checked, nothing flagged`;
  const line = `✖ ${count(findings, 'finding')} in ${held + tagged} of ${count(files.length, 'file')} (${held} held, ${tagged} tagged)`;
  return colour.bold(colour.red(line));
}
