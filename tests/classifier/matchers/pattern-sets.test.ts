// The rule patterns' sets: however they are grouped, a scan reports exactly the patterns that match somewhere.
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { PatternSets, utf8Of } from '../../../src/classifier/matchers/re2-set.js';
import { PATTERN_FLAGS } from '../../../src/classifier/matchers/pattern.js';

const SOURCES = [
  String.raw`\bmy (own|personal) (mobile|number)\b`,
  String.raw`\b(let'?s|we can) [^.!?]{0,40}\b(snap|whatsapp)\b`, // wide: a set of its own
  String.raw`(?:^|[^A-Za-z0-9])meet(?:$|[^A-Za-z0-9])`,
  String.raw`\bx{2,8}$`,
  String.raw`\bsecret\b.{0,12}\bours\b`, // wide
  String.raw`😘`,
];

describe('PatternSets', () => {
  const sets = PatternSets.build(SOURCES, PATTERN_FLAGS)!;

  it.each([
    'My own mobile is off',
    "let's carry on this chat over on snap",
    'we can meet after school',
    'secret, just ours xx',
    'night 😘',
    'nothing to see',
    '',
  ])('reports exactly the patterns that match in %j', (text) => {
    const expected = SOURCES.flatMap((source, i) => (new RE2(source, PATTERN_FLAGS).test(text) ? [i] : []));
    expect(sets.match(utf8Of(text)).sort((a, b) => a - b)).toEqual(expected);
  });

  it('is undefined when there is no pattern', () => {
    expect(PatternSets.build([], PATTERN_FLAGS)).toBeUndefined();
  });
});
