// `detector:` rules: a built-in detector (phone, email, social, website) with options checked against the
// detector's own schema when rules compile.

import type { Detector } from '../detectors/index.js';
import type { Matcher, MatchContext, Span } from './matcher.js';
import type { ScreenText } from './screen-text.js';

export { detectorNames, findDetector } from '../detectors/index.js';

export class DetectorMatcher implements Matcher {
  constructor(
    private readonly detector: Detector,
    /** Options as parsed by the detector's schema (defaults filled in). */
    private readonly options: unknown,
  ) {}

  get name(): string {
    return this.detector.name;
  }

  find(screen: ScreenText, context: MatchContext): Span[] {
    const hits = this.detector.detect(screen.mapped, this.options, {
      organisation: context.organisation,
      once: (key, compute) => screen.once(key, compute),
      gates: screen.gates,
    });
    return hits.slice(0, context.limit).map((h) => (h.detail ? { start: h.start, end: h.end, detail: h.detail } : h));
  }
}
