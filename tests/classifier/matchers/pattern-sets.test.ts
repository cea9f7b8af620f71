// The rule patterns' sets: however they are grouped, a scan reports exactly the patterns that match somewhere.
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { PatternSets, utf8Of } from '../../../src/classifier/matchers/re2-set.js';
import { PATTERN_FLAGS } from '../../../src/classifier/matchers/pattern.js';

const PATTERNS = [
  String.raw`\bmy (own|personal) (mobile|number)\b`,
  String.raw`\b(let'?s|we can) [^.!?]{0,40}\b(snap|whatsapp)\b`, // wide: a set of its own
  String.raw`\bx{2,8}$`,
  String.raw`\bsecret\b.{0,12}\bours\b`, // wide
  String.raw`😘`,
];
/** Word lists' gates: a set of their own, numbered after the patterns. */
const WORD_GATES = [String.raw`(?:^|[^A-Za-z0-9])(?:meet|met)(?:$|[^A-Za-z0-9])`, String.raw`after`];
const SOURCES = [...PATTERNS, ...WORD_GATES];

describe('PatternSets', () => {
  const sets = PatternSets.build(PATTERNS, WORD_GATES, PATTERN_FLAGS)!;

  it.each([
    'My own mobile is off',
    "let's carry on this chat over on snap",
    'we can meet after school',
    'we met up',
    'secret, just ours xx',
    'night 😘',
    'nothing to see',
    '',
  ])('reports exactly the patterns that match in %j', (text) => {
    const expected = SOURCES.flatMap((source, i) => (new RE2(source, PATTERN_FLAGS).test(text) ? [i] : []));
    expect(sets.match(utf8Of(text)).sort((a, b) => a - b)).toEqual(expected);
  });

  it('numbers every pattern as given when they are spread over many sets', () => {
    // Forty patterns of about 1,000 characters: several sets, each of them numbering its patterns from 0.
    const filler = Array.from({ length: 120 }, (_, i) => `zz${i}q`).join('|');
    const many = Array.from({ length: 40 }, (_, i) => String.raw`\bword${i}\b|\b(${filler})\b`);
    const spread = PatternSets.build(many, WORD_GATES, PATTERN_FLAGS)!;
    expect(spread.match(utf8Of('word3 and word17, word39 after')).sort((a, b) => a - b)).toEqual([3, 17, 39, 41]);
  });

  it('is undefined when there is no pattern', () => {
    expect(PatternSets.build([], [], PATTERN_FLAGS)).toBeUndefined();
  });
});
