// The contract every built-in detector meets (docs/DESIGN.md, "Detectors").

import type { ZodType } from 'zod';
import type { MappedText } from '../mapped-text.js';
import type { OrganisationSettings } from '../types.js';
import type { GateHits, TextGate } from '../text-gates.js';

export interface DetectorHit {
  /** Offsets in the normalised text (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  detail?: Record<string, string>;
}

export interface DetectorContext {
  organisation: OrganisationSettings;
  /**
   * The part's memo: `compute` runs once per key for every rule screening this part (the mobile and the landline
   * rule read the same numbers). Absent when a detector is called on its own.
   */
  once?: <T>(key: object, compute: () => T) => T;
  /** What the text gates found in the part's text. Absent when a detector is called on its own: every gate open. */
  gates?: GateHits;
}

/** The result of `scan` on this text, shared by every rule that uses the same scan on the same part. */
export function scanOnce<T>(
  text: MappedText,
  context: DetectorContext,
  scan: (text: MappedText, context: DetectorContext) => T,
): T {
  return context.once === undefined ? scan(text, context) : context.once(scan, () => scan(text, context));
}

/** Whether the gate's regex may match in the part's text (always, when the gates were not read). */
export function mayMatch(context: DetectorContext, gate: TextGate): boolean {
  return context.gates?.mayMatch(gate) ?? true;
}

/**
 * One hit per stretch of text, the longest where hits start together: "my gmail: jo@gmail.com" is one address, a
 * link and the words around it are one account. Sorts `hits` in place.
 */
export function withoutOverlaps(hits: DetectorHit[]): DetectorHit[] {
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: DetectorHit[] = [];
  for (const hit of hits) {
    const last = kept[kept.length - 1];
    if (last !== undefined && hit.start < last.end) continue;
    kept.push(hit);
  }
  return kept;
}

export interface Detector<Options = unknown> {
  name: string;
  /** Checks a rule's `detector:` options when rules compile; parse() fills in defaults. */
  optionsSchema: ZodType<Options>;
  detect(text: MappedText, options: Options, context: DetectorContext): DetectorHit[];
}

/** Whether `domain` is one of `domains` or a subdomain of one ("mail.oakfield.sch.uk" under "oakfield.sch.uk"). */
export function isUnderDomain(domain: string, domains: readonly string[]): boolean {
  const host = domain.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => {
    const own = d.toLowerCase().replace(/^@/, '').replace(/^\*\./, '').replace(/\.$/, '');
    return own !== '' && (host === own || host.endsWith('.' + own));
  });
}
