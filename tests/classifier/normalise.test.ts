import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/classifier/normalise.js';
import { compose, identity, toOriginalSpan, type MappedText } from '../../src/classifier/mapped-text.js';

/** The original text behind the first occurrence of `derived` in the normalised text. */
function originalOf(mapped: MappedText, original: string, derived: string): string {
  const at = mapped.text.indexOf(derived);
  expect(at, `"${derived}" in "${mapped.text}"`).toBeGreaterThanOrEqual(0);
  const span = toOriginalSpan(mapped, at, at + derived.length);
  return original.slice(span.start, span.end);
}

describe('normalise', () => {
  const reads: [string, string, string][] = [
    // [written, normalised text contains, and that came from]
    ['Call me on O77OO 9OO l23', '07700 900 123', 'O77OO 9OO l23'],
    ['０７７００ ９００１２３', '07700 900123', '０７７００ ９００１２３'],
    ['seven seven zero zero nine double one two three', '770091123', 'seven seven zero zero nine double one two three'],
    ['ring oh seven seven double oh treble nine', '07700999', 'oh seven seven double oh treble nine'],
    ['07700 nine double oh one two three', '07700900123', '07700 nine double oh one two three'],
    ['jo dot bloggs at gmail dot com', 'jo.bloggs@gmail.com', 'jo dot bloggs at gmail dot com'],
    ['name [at] gmail [dot] com', 'name@gmail.com', 'name [at] gmail [dot] com'],
    ['name(at)gmail(dot)com', 'name@gmail.com', 'name(at)gmail(dot)com'],
    ['name @ gmail . com', 'name@gmail.com', 'name @ gmail . com'],
    ['JO.BLOGGS {at} HOTMAIL {dot} CO {dot} UK', 'jo.bloggs@hotmail.co.uk', 'JO.BLOGGS {at} HOTMAIL {dot} CO {dot} UK'],
    ['my snаpchat', 'snapchat', 'snаpchat'], // Cyrillic а
    ['ΙΝSΤΑ', 'insta', 'ΙΝSΤΑ'], // Greek capitals
    ['snap\u200bchat', 'snapchat', 'snap\u200bchat'],
    ['se\u00adcret', 'secret', 'se\u00adcret'],
    ['ｓｅｃｒｅｔ', 'secret', 'ｓｅｃｒｅｔ'],
    ['𝐬𝐞𝐱𝐲', 'sexy', '𝐬𝐞𝐱𝐲'],
    ['s̶e̶c̶r̶e̶t̶', 'secret', 's̶e̶c̶r̶e̶t'], // the last strike-through mark follows the word
    ['Don’t tell', "don't tell", 'Don’t tell'],
    ['café', 'cafe', 'café'],
    ['٠٧٧٠٠ ٩٠٠١٢٣', '07700 900123', '٠٧٧٠٠ ٩٠٠١٢٣'],
  ];
  it.each(reads)('reads %j as containing %j, mapped back to what was written', (written, expected, source) => {
    const mapped = normalise(written);
    expect(mapped.text).toContain(expected);
    expect(originalOf(mapped, written, expected)).toBe(source);
  });

  const untouched = [
    'meet at the gate at nine',
    'see you at home.Then we go',
    'one or two of you',
    'lol that was cool2',
    'the o2 arena',
    'look at this dot com bubble',
    'kisses 😘❤️',
    'Room 101 at 3.30',
  ];
  it.each(untouched)('leaves %j as it reads (only lower-cased)', (text) => {
    expect(normalise(text).text).toBe(text.toLowerCase());
  });

  it('maps every normalised character inside the original text', () => {
    const written = 'Ｃａｌｌ O77OO nine double one two three or jo [at] gmail [dot] com 😘 snap\u200bchat';
    const mapped = normalise(written);
    expect(mapped.starts.length).toBe(mapped.text.length);
    for (let i = 0; i < mapped.text.length; i++) {
      expect(mapped.starts[i]).toBeGreaterThanOrEqual(0);
      expect(mapped.ends[i]).toBeLessThanOrEqual(written.length);
      expect(mapped.starts[i]).toBeLessThan(mapped.ends[i]!);
    }
  });

  it('normalises a megabyte of ordinary mail in well under a second', () => {
    const text = 'Dear parents, the trip on 12/03 costs £15. Call the office on 01632 960000. '.repeat(14_000);
    const mapped = normalise(text);
    expect(mapped.text.length).toBe(text.length);
  });
});

describe('MappedText', () => {
  it('composes two derivations back to the first original', () => {
    const inner = normalise('Hi ＪＯ');
    const outer = normalise(inner.text.toUpperCase());
    const both = compose(outer, inner);
    const at = both.text.indexOf('jo');
    expect(toOriginalSpan(both, at, at + 2)).toEqual({ start: 3, end: 5 });
  });

  it('maps an identity text to itself and an empty span to a point', () => {
    const m = identity('hello');
    expect(toOriginalSpan(m, 1, 3)).toEqual({ start: 1, end: 3 });
    expect(toOriginalSpan(m, 2, 2)).toEqual({ start: 2, end: 2 });
    expect(toOriginalSpan(m, 5, 5)).toEqual({ start: 5, end: 5 });
  });
});
