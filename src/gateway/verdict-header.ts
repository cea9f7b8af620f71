// The headers Chaperone adds to mail it relays (X-Chaperone-Verdict, X-Chaperone-Id); the rest of the message is kept
// byte for byte. Headers of the same names already in the message are dropped: a sender must not forge a verdict.
import type { Category } from '../classifier/types.js';

export const VERDICT_HEADER = 'X-Chaperone-Verdict';
export const ID_HEADER = 'X-Chaperone-Id';

/** Only the header block is searched for forged fields; beyond this many bytes the rest is treated as body. */
const MAX_HEADER_SCAN_BYTES = 1024 * 1024;

export interface VerdictSummary {
  action: 'pass' | 'tag';
  score: number;
  categories: readonly Category[];
}

/** e.g. `tag; score=5; categories=contact-details` or `pass; score=0`. Rule ids are left out: recipients can read headers. */
export function verdictHeaderValue(verdict: VerdictSummary): string {
  const parts = [verdict.action, `score=${verdict.score}`];
  if (verdict.categories.length > 0) parts.push(`categories=${verdict.categories.join(',')}`);
  return parts.join('; ');
}

/** Byte offset where the body starts (after the blank line), or the message length when there is no blank line. */
function headerBlockEnd(raw: Buffer): number {
  const limit = Math.min(raw.length, MAX_HEADER_SCAN_BYTES);
  for (let i = 0; i < limit; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 2;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 3;
  }
  return limit;
}

function lineBreakOf(raw: Buffer): string {
  const lf = raw.indexOf(0x0a);
  return lf > 0 && raw[lf - 1] === 0x0d ? '\r\n' : lf === -1 ? '\r\n' : '\n';
}

/** Removes header fields (and their folded continuation lines) whose name is one of `names`, case-insensitively. */
function withoutFields(raw: Buffer, names: readonly string[]): Buffer {
  const end = headerBlockEnd(raw);
  const header = raw.subarray(0, end).toString('latin1');
  // Nearly every message has none of these fields: one search of the block spares splitting it into lines.
  const lowerHeader = header.toLowerCase();
  if (!names.some((name) => lowerHeader.includes(name.toLowerCase()))) return raw;
  const lowered = names.map((n) => `${n.toLowerCase()}:`);
  const lines = header.split(/(?<=\n)/);
  let dropping = false;
  let changed = false;
  const kept: string[] = [];
  for (const line of lines) {
    const continuation = line.startsWith(' ') || line.startsWith('\t');
    if (!continuation) {
      const lower = line.toLowerCase();
      dropping = lowered.some((n) => lower.startsWith(n) || lower.replace(/^([^:\s]+)\s+:/, '$1:').startsWith(n));
    }
    if (dropping) {
      changed = true;
      continue;
    }
    kept.push(line);
  }
  if (!changed) return raw;
  return Buffer.concat([Buffer.from(kept.join(''), 'latin1'), raw.subarray(end)]);
}

/**
 * Prepends the given header fields (in order) using the message's own line break, after dropping forged copies;
 * `below` (whole header lines, e.g. this relay's Received line) goes between them and the message, in the same copy.
 */
export function addHeaders(raw: Buffer, fields: ReadonlyArray<readonly [string, string]>, below?: Buffer): Buffer {
  const cleaned = withoutFields(
    raw,
    fields.map(([name]) => name),
  );
  const eol = lineBreakOf(raw);
  const added = fields.map(([name, value]) => `${name}: ${value.replace(/[\r\n]+/g, ' ')}${eol}`).join('');
  return Buffer.concat(
    below === undefined ? [Buffer.from(added, 'utf8'), cleaned] : [Buffer.from(added, 'utf8'), below, cleaned],
  );
}
