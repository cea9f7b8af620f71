import { describe, expect, test } from 'vitest';
import { MAX_SENTENCE_CHARS, sentenceAt, splitSentences, tokenise } from '../../../src/classifier/matchers/tokens.js';

const texts = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe('tokens and sentences', () => {
  test('tokens keep inner apostrophes and make each emoji a token', () => {
    expect(tokenise("don't tell mum's friend 😘😘 x-ray").map((t) => t.text)).toEqual([
      "don't",
      'tell',
      "mum's",
      'friend',
      '😘',
      '😘',
      'x',
      'ray',
    ]);
  });

  test('curly apostrophes read as straight ones', () => {
    expect(tokenise('don’t')[0]?.text).toBe("don't");
  });

  test('sentences end at . ! ? followed by a space and at blank lines', () => {
    expect(texts('Hi Sam,\n\nWell done today. See you at 3.30 tomorrow! Bye?\n\nMr Smith')).toEqual([
      'Hi Sam,',
      'Well done today.',
      'See you at 3.30 tomorrow!',
      'Bye?',
      'Mr Smith',
    ]);
  });

  test('a title or abbreviation does not end the sentence', () => {
    expect(texts('Mr. Smith will see you e.g. after lunch. Thanks.')).toEqual([
      'Mr. Smith will see you e.g. after lunch.',
      'Thanks.',
    ]);
  });

  test('a single line break does not end the sentence (hard-wrapped mail, or a phrase split to evade)', () => {
    const line = 'This is a long line of a hard wrapped plain text e-mail that goes on and';
    expect(texts(`${line}\ncontinues here.`)).toEqual([`${line}\ncontinues here.`]);
    expect(texts('we could meet\nafter school')).toEqual(['we could meet\nafter school']);
  });

  test('a sentence without punctuation is cut at a bound', () => {
    const sentences = splitSentences('word '.repeat(1000));
    expect(sentences.length).toBeGreaterThan(5);
    expect(Math.max(...sentences.map((s) => s.end - s.start))).toBeLessThanOrEqual(MAX_SENTENCE_CHARS + 10);
  });

  test('sentenceAt finds the sentence holding an offset', () => {
    const sentences = splitSentences('One. Two. Three.');
    expect(sentenceAt(sentences, 0)).toBe(0);
    expect(sentenceAt(sentences, 6)).toBe(1);
    expect(sentenceAt(sentences, 12)).toBe(2);
    expect(sentenceAt(sentences, 4)).toBe(-1);
  });
});

describe('the fast tokeniser', () => {
  const REFERENCE = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|\p{Extended_Pictographic}/gu;
  const reference = (text: string) =>
    [...text.matchAll(REFERENCE)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
      text: m[0].replace(/’/g, "'"),
    }));
  const ALPHABET = [
    'a',
    'Z',
    '7',
    'é',
    'е',
    '中',
    'ß',
    '\u0301',
    "'",
    '’',
    ' ',
    '\n',
    '.',
    '-',
    '_',
    '😘',
    '❤',
    '\ufe0f',
    '𝒜',
    '\ud800',
    '@',
  ];

  test('finds exactly the words the Unicode regex finds, on random mixed-script text', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 2000; round++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 30) },
        () => ALPHABET[Math.floor(random() * ALPHABET.length)],
      ).join('');
      expect(tokenise(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });
});
