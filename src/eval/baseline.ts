// The regex-only baseline: a Postfix-style PCRE body_checks table (corpus/baseline/body_checks.pcre) run with RE2
// over the decoded subject and body lines, first match per line, as an admin without Chaperone would screen mail.
import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import RE2 from 're2';
import { CATEGORIES, type Category } from '../classifier/types.js';
import type { ScreenOutcome } from './screen-outcome.js';

export interface BodyCheck {
  line: number;
  pattern: RE2;
  action: 'HOLD' | 'DUNNO';
  category?: Category;
  description: string;
}

/** Postfix caps body_checks at body_checks_size_limit (51200 bytes by default); the baseline does the same. */
const BODY_CHECKS_SIZE_LIMIT = 51_200;
/** A decoded line longer than this is cut, as Postfix cuts at line_length_limit (2048). */
const LINE_LENGTH_LIMIT = 2048;

export class BodyChecksError extends Error {}

const ENTRY = /^\/(.*)\/([imx]*)\s+(HOLD|DUNNO)\b\s*(.*)$/;

/** Parses a Postfix PCRE table of `/regex/flags ACTION text` lines; HOLD texts start with "category:". */
export function parseBodyChecks(source: string, file: string): BodyCheck[] {
  const checks: BodyCheck[] = [];
  for (const [index, text] of source.split('\n').entries()) {
    const line = index + 1;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const entry = ENTRY.exec(trimmed);
    if (entry === null)
      throw new BodyChecksError(`${file}:${line}: expected "/regex/ HOLD category: text" or "/regex/ DUNNO text"`);
    const [, regex = '', flags = '', action = 'HOLD', rest = ''] = entry;
    // Postfix patterns are case-insensitive unless the i flag toggles that off.
    const caseless = !flags.includes('i');
    let pattern: RE2;
    try {
      pattern = new RE2(regex, `${caseless ? 'i' : ''}${flags.includes('m') ? 'm' : ''}u`);
    } catch (error) {
      throw new BodyChecksError(`${file}:${line}: /${regex}/ is not a valid RE2 pattern: ${(error as Error).message}`);
    }
    if (action === 'DUNNO') {
      checks.push({ line, pattern, action: 'DUNNO', description: rest });
      continue;
    }
    const category = /^([a-z-]+):\s*(.*)$/.exec(rest);
    if (category === null || !(CATEGORIES as readonly string[]).includes(category[1] ?? '')) {
      throw new BodyChecksError(
        `${file}:${line}: HOLD text must start with a category (${CATEGORIES.join(', ')}) and a colon`,
      );
    }
    checks.push({ line, pattern, action: 'HOLD', category: category[1] as Category, description: category[2] ?? '' });
  }
  return checks;
}

export async function loadBodyChecks(file: string): Promise<BodyCheck[]> {
  return parseBodyChecks(await readFile(file, 'utf8'), file);
}

/** Screens one message the way the body_checks table would. */
export async function screenWithBodyChecks(raw: Buffer, checks: readonly BodyCheck[]): Promise<ScreenOutcome> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  const body = (parsed.text ?? '').slice(0, BODY_CHECKS_SIZE_LIMIT);
  const lines = [parsed.subject ?? '', ...body.split(/\r?\n/)];
  const findings: ScreenOutcome['findings'] = [];
  for (const fullLine of lines) {
    const line = fullLine.slice(0, LINE_LENGTH_LIMIT);
    for (const check of checks) {
      check.pattern.lastIndex = 0;
      const match = check.pattern.exec(line);
      if (match === null) continue;
      if (check.action === 'HOLD' && check.category !== undefined) {
        findings.push({ rule: `body_checks:${check.line}`, category: check.category, text: match[0] });
      }
      break;
    }
  }
  return { action: findings.length > 0 ? 'hold' : 'pass', findings, problems: [] };
}
