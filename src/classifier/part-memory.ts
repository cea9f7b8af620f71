// Screening results of recently seen parts, kept between messages: a school's mail repeats the same signatures and
// disclaimers (every message a member of staff sends ends with them), and reading one again gives the same answer.
// Bounded in characters, so it costs a few megabytes at most whatever the mail.

import type { MappedText } from './mapped-text.js';
import type { Span } from './matchers/matcher.js';
import type { ScanTables } from './matchers/screen-text.js';
import type { CompiledRule } from './rules/compile.js';
import type { Severity } from './types.js';

/**
 * Parts longer than this are not remembered: signatures and disclaimers are a few hundred characters, and a long
 * body is seldom sent twice.
 */
export const MAX_REMEMBERED_PART_CHARS = 8 * 1024;
/**
 * Characters of part text remembered in all. Each character costs about 12 bytes (the text, its normalised form and
 * the two offset maps), so about 3 MB, which holds the parts of the last few dozen messages.
 */
export const MAX_REMEMBERED_CHARS = 256 * 1024;

/** A span a rule kept after negation, `unless` and `context`, with the severity context gave it. */
export interface KeptSpan {
  span: Span;
  severity: Severity;
}

/** What one run of a rule on a part's screened text kept, and the NLP sentences it was given, in order. */
export interface RuleRun {
  kept: readonly KeptSpan[];
  sentences: readonly string[];
}

/** A run with the tables and organisation settings it ran with, which it is only valid for. */
interface RememberedRun extends RuleRun {
  tables: ScanTables;
  organisation: string;
}

export interface RememberedPart {
  mapped: MappedText;
  readonly rules: Map<CompiledRule, RememberedRun>;
}

/** How a part's text is read: as plain text, as rendered HTML, or for the HTML's hidden text (see screenedText). */
export type ReadingMode = 'text' | 'html' | 'hidden';

interface Entry {
  mode: ReadingMode;
  text: string;
  /** Set from the second time the text is seen: most parts are seen once, and remembering runs costs memory. */
  part?: RememberedPart;
}

/**
 * Least recently used parts are forgotten first, so a signature seen in every message stays. Parts are found by
 * length and then compared, not hashed: hashing every part of every message as a Map key cost more than the
 * lookups saved, while texts of equal length that differ usually differ within their first few characters.
 */
export class PartMemory {
  private readonly byLength = new Map<number, Entry[]>();
  /** Every entry, least recently used first. */
  private readonly recency = new Set<Entry>();
  private chars = 0;

  constructor(
    private readonly maxPartChars: number,
    private readonly maxChars: number,
  ) {}

  /** The part's screened text, and what is remembered of it when its text was seen in a recent message. */
  screened(mode: ReadingMode, text: string, screen: () => MappedText): { mapped: MappedText; part?: RememberedPart } {
    if (text.length > this.maxPartChars) return { mapped: screen() };
    const sameLength = this.byLength.get(text.length);
    const entry = sameLength?.find((e) => e.mode === mode && e.text === text);
    if (entry === undefined) {
      const added: Entry = { mode, text };
      if (sameLength) sameLength.push(added);
      else this.byLength.set(text.length, [added]);
      this.recency.add(added);
      this.chars += text.length;
      this.forgetOldest();
      return { mapped: screen() };
    }
    this.recency.delete(entry);
    this.recency.add(entry);
    entry.part ??= { mapped: screen(), rules: new Map() };
    return { mapped: entry.part.mapped, part: entry.part };
  }

  private forgetOldest(): void {
    for (const entry of this.recency) {
      if (this.chars <= this.maxChars) return;
      this.recency.delete(entry);
      this.chars -= entry.text.length;
      const sameLength = this.byLength.get(entry.text.length)!;
      sameLength.splice(sameLength.indexOf(entry), 1);
      if (sameLength.length === 0) this.byLength.delete(entry.text.length);
    }
  }
}

/** The run of `rule` on this part remembered from a recent message with the same tables and organisation settings. */
export function rememberedRun(
  part: RememberedPart,
  rule: CompiledRule,
  tables: ScanTables,
  organisation: string,
): RuleRun | undefined {
  const run = part.rules.get(rule);
  return run !== undefined && run.tables === tables && run.organisation === organisation ? run : undefined;
}

export function rememberRun(
  part: RememberedPart,
  rule: CompiledRule,
  tables: ScanTables,
  organisation: string,
  run: RuleRun,
): void {
  part.rules.set(rule, { ...run, tables, organisation });
}
