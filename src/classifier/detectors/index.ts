// The built-in detectors by name: what a rule's `detector: { name: ... }` refers to.

import type { Detector } from './types.js';
import { phoneDetector } from './phone.js';
import { emailDetector } from './email.js';
import { socialDetector } from './social.js';
import { websiteDetector } from './website.js';

export type { Detector, DetectorContext, DetectorHit } from './types.js';
export { PHONE_TYPES } from './phone.js';

export const DETECTORS: ReadonlyMap<string, Detector> = new Map<string, Detector>(
  [phoneDetector, emailDetector, socialDetector, websiteDetector].map((d) => [d.name, d as Detector]),
);

export function findDetector(name: string): Detector | undefined {
  return DETECTORS.get(name);
}

export function detectorNames(): string[] {
  return [...DETECTORS.keys()].sort();
}
