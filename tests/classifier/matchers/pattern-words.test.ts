import { describe, expect, test } from 'vitest';
import { classify } from '../../../src/classifier/index.js';
import { compileYaml, rule } from '../fixture-rules.js';

const spans = (text: string, rules: ReturnType<typeof compileYaml>) =>
  classify(text, rules).findings.map((f) => [f.rule, f.text]);

describe('pattern matcher', () => {
  const rules = compileYaml(rule('num', "pattern: 'my (own|personal) (mobile|number)'"));

  test('matches case-insensitively on the normalised text and reports the original span', () => {
    const verdict = classify('Text me on MY PERSONAL Mobile please', rules);
    expect(verdict.findings).toMatchObject([{ rule: 'num', text: 'MY PERSONAL Mobile', start: 11, end: 29 }]);
  });

  test('offsets are exact after emoji and non-Latin text', () => {
    const text = '😀 Ça va? my own number';
    const [finding] = classify(text, rules).findings;
    expect(text.slice(finding?.start, finding?.end)).toBe('my own number');
  });

  test('finds every occurrence', () => {
    expect(spans('my own number, and my personal mobile', rules)).toHaveLength(2);
  });

  test('clean text gives nothing', () => {
    expect(spans('Call the school office on the main number', rules)).toEqual([]);
  });
});

describe('words matcher', () => {
  const rules = compileYaml(rule('kiss', "words: [xx, 'love you', '😘', gorgeous]"));

  test('matches whole words only', () => {
    expect(spans('xx', rules)).toEqual([['kiss', 'xx']]);
    expect(spans('box xx7 and xxl', rules)).toEqual([]);
    expect(spans('Gorgeousness', rules)).toEqual([]);
  });

  test('matches multi-word entries across any spacing and case', () => {
    expect(spans('I LOVE\n you', rules)).toEqual([['kiss', 'LOVE\n you']]);
  });

  test('matches emoji', () => {
    expect(spans('night 😘', rules)).toEqual([['kiss', '😘']]);
  });

  test("matches the word before an apostrophe (gorgeous's)", () => {
    expect(spans("you're gorgeous's twin", rules)).toEqual([['kiss', "gorgeous's"]]);
  });
});
