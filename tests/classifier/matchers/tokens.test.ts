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
