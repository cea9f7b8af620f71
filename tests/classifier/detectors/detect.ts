// Runs a detector over normalised text as the engine does and returns what it found, as written.
import { normalise } from '../../../src/classifier/normalise.js';
import { toOriginalSpan } from '../../../src/classifier/mapped-text.js';
import type { Detector } from '../../../src/classifier/detectors/index.js';
import type { OrganisationSettings } from '../../../src/classifier/types.js';

export const OAKFIELD: OrganisationSettings = {
  name: 'Oakfield School',
  domains: ['oakfield.sch.uk'],
  phones: ['01632 960000', '+44 1632 960001'],
  accounts: ['@oakfieldschool', 'https://www.facebook.com/OakfieldSchoolPTA'],
};

export interface Found {
  /** The text as the sender wrote it. */
  written: string;
  detail: Record<string, string>;
}

export function detect(detector: Detector, text: string, options: unknown = {}, organisation = OAKFIELD): Found[] {
  const mapped = normalise(text);
  const parsed = detector.optionsSchema.parse(options);
  return detector.detect(mapped, parsed, { organisation }).map((hit) => {
    const span = toOriginalSpan(mapped, hit.start, hit.end);
    return { written: text.slice(span.start, span.end), detail: hit.detail ?? {} };
  });
}
