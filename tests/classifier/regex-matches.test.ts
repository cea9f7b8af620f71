// matchesOf must give exactly what matchAll gives (it only skips matchAll's copy of the regex).
import { describe, expect, it } from 'vitest';
import { matchesOf } from '../../src/classifier/regex-matches.js';

const summary = (matches: Iterable<RegExpMatchArray>) => [...matches].map((m) => [m.index, ...m]);

describe('matchesOf', () => {
  const cases: [RegExp, string][] = [
    [/(?<![a-z])sn[a@]p(?:chat)?(?![a-z])/g, 'add me on snap or sn@pchat, not snapshot'],
    [/[0-9]+/g, '07700 900123 and 12'],
    [/x*/g, 'axxb'],
    [/(?:)/gu, 'a😘b'],
    [/\p{Extended_Pictographic}?/gu, '😘x😘'],
    [/nothing/g, 'at all'],
  ];
  it.each(cases)('finds what matchAll finds for %s', (re, text) => {
    expect(summary(matchesOf(re, text))).toEqual(summary(text.matchAll(new RegExp(re))));
  });

  it('starts again from the beginning on every call', () => {
    const re = /a/g;
    expect([...matchesOf(re, 'aaa')].length).toBe(3);
    re.lastIndex = 2;
    expect([...matchesOf(re, 'aaa')].length).toBe(3);
  });

  it('refuses a regex without the g flag, which would match forever', () => {
    expect(() => [...matchesOf(/a/, 'aaa')]).toThrow(TypeError);
  });
});
