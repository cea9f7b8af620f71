// `detector:` rules: a built-in detector (phone, email, social, website) with options checked against the
// detector's own schema when rules compile.

import type { ZodType } from 'zod';
import type { MappedText } from '../mapped-text.js';
import type { OrganisationSettings } from '../types.js';
import type { Matcher, MatchContext, Span } from './matcher.js';
import type { ScreenText } from './screen-text.js';

/** The shape of a detector in detectors/ (see docs/DESIGN.md). */
export interface DetectorLike {
  name: string;
  optionsSchema: ZodType;
  detect(
    text: MappedText,
    options: never,
    context: { organisation: OrganisationSettings },
  ): { start: number; end: number; detail?: Record<string, string> }[];
}

export class DetectorMatcher implements Matcher {
  constructor(
    private readonly detector: DetectorLike,
    private readonly options: unknown,
  ) {}

  get name(): string {
    return this.detector.name;
  }

  find(screen: ScreenText, context: MatchContext): Span[] {
    const hits = this.detector.detect(screen.mapped, this.options as never, { organisation: context.organisation });
    return hits.slice(0, context.limit).map((h) => ({ start: h.start, end: h.end, detail: h.detail }));
  }
}

const registry = new Map<string, DetectorLike>();

export function findDetector(name: string): DetectorLike | undefined {
  return registry.get(name);
}

export function detectorNames(): string[] {
  return [...registry.keys()].sort();
}
