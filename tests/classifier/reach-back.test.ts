// `before: N` lets an `unless` exception or `context` words come from the N sentences before the match's own: a
// surprise named in one sentence excuses "keep it secret" in the next, and a wink standing alone after "I'm in
// bed" is raised by it. Without it, only the match's sentence counts.
import { describe, expect, test } from 'vitest';
import { classify } from '../../src/classifier/index.js';
import { compileYaml, rule } from './fixture-rules.js';

const found = (text: string, yaml: string) => classify(text, compileYaml(yaml)).findings.map((f) => f.text);

describe('unless before:', () => {
  const reaching = rule(
    'secret',
    "pattern: 'keep it secret'",
    "    unless:\n      - pattern: 'surprise party'\n        before: 1\n",
  );
  const sentenceOnly = rule('secret', "pattern: 'keep it secret'", "    unless:\n      - pattern: 'surprise party'\n");

  test('excuses a match when the exception is in the sentence just before', () => {
    expect(found("Mr Ali's surprise party is on Friday. Keep it secret!", reaching)).toEqual([]);
    expect(found("Mr Ali's surprise party is on Friday. Keep it secret!", sentenceOnly)).toEqual(['Keep it secret']);
  });

  test('still excuses a match in its own sentence', () => {
    expect(found('Keep it secret: the surprise party is on Friday.', reaching)).toEqual([]);
  });

  test('does not reach further back than asked, nor forward', () => {
    expect(found('The surprise party is on Friday. Bring a card. Keep it secret!', reaching)).toEqual([
      'Keep it secret',
    ]);
    expect(found('Keep it secret! The surprise party is on Friday.', reaching)).toEqual(['Keep it secret']);
  });

  test('refuses a reach beyond three sentences when the rules load', () => {
    const tooFar = rule(
      'secret',
      "pattern: 'keep it secret'",
      "    unless:\n      - pattern: 'surprise'\n        before: 4\n",
    );
    expect(() => compileYaml(tooFar)).toThrow(/before/);
  });
});

describe('context before:', () => {
  const wink = (before: string) =>
    rule('wink', "pattern: ';\\)'", `    context:\n      window: 10\n${before}      raise: [bed]\n`);
  const severity = (text: string, yaml: string) => classify(text, compileYaml(yaml)).findings.map((f) => f.severity);

  test('raises a match from a word in the sentence before', () => {
    expect(severity('In bed, bored. ;)', wink('      before: 1\n'))).toEqual(['high']);
    expect(severity('In bed, bored. ;)', wink(''))).toEqual(['medium']);
  });

  test('stays within the word window and the sentences asked for', () => {
    expect(severity('In bed. Bored. ;)', wink('      before: 1\n'))).toEqual(['medium']);
  });
});
