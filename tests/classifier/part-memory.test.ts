import { describe, expect, test } from 'vitest';
import { classify, MAX_NLP_SENTENCES } from '../../src/classifier/index.js';
import { identity } from '../../src/classifier/mapped-text.js';
import { PartMemory } from '../../src/classifier/part-memory.js';
import { compileYaml, rule } from './fixture-rules.js';

describe('parts remembered between messages', () => {
  test('a signature seen in earlier messages gives the findings it would give in a message of its own', () => {
    const rules = compileYaml(rule('banana', 'words: [banana]', '    parts: [body, signature]\n'));
    const signature = '--\nMr Banana-Smith\nBanana Class teacher';
    const first = { text: `Hi Sam,\nSee you tomorrow.\n\n${signature}` };
    const later = { subject: 'Banana bread', text: `Dear all,\nThe trip is on Friday, bring lunch.\n\n${signature}` };
    const firstFindings = classify(first, rules).findings;
    for (let i = 0; i < 3; i++) classify(first, rules);
    const verdict = classify(later, rules);
    const signaturePart = verdict.parts.findIndex((p) => p.kind === 'signature');
    expect(verdict.findings.filter((f) => f.partIndex === signaturePart)).toEqual(
      firstFindings.map((f) => ({ ...f, partIndex: signaturePart })),
    );
    expect(verdict.findings.map((f) => [f.part, f.text])).toEqual([
      ['signature', 'Banana'],
      ['signature', 'Banana'],
    ]);
  });

  test('sentences a remembered signature needed still count against the message NLP budget', () => {
    const rules = compileYaml(
      rule('keep-secret', "phrase: 'keep (it|this)? secret'", '    parts: [body, signature, attachment]\n'),
    );
    // Sentences holding both anchor words are read by compromise, whether the phrase then matches or not.
    const signature = '--\nMrs Quill\nPlease keep it secret, first.\nPlease keep the secret, second.';
    const attached = Array.from({ length: MAX_NLP_SENTENCES - 1 }, (_, i) => `Keep the secret number ${i}.`).join(' ');
    const message = {
      text: `Hi Sam,\nSee you tomorrow.\n\n${signature}`,
      attachedTexts: [{ name: 'notes.txt', text: attached }],
    };
    // First sight, then remembered with its run, then reused: the same verdict each time, budget spent included.
    const verdicts = [classify(message, rules), classify(message, rules), classify(message, rules)];
    expect(verdicts[0]!.problems.some((p) => p.includes('more sentences to read closely'))).toBe(true);
    expect(verdicts[1]).toEqual(verdicts[0]);
    expect(verdicts[2]).toEqual(verdicts[0]);
  });

  test('forgets the least recently seen parts beyond its bound', () => {
    const memory = new PartMemory(10, 20);
    const screen = (text: string) => () => identity(text);
    for (const text of ['aaaaaaaaaa', 'bbbbbbbbbb']) memory.screened('text', text, screen(text));
    expect(memory.screened('text', 'aaaaaaaaaa', screen('aaaaaaaaaa')).part).toBeDefined();
    memory.screened('text', 'cccccccccc', screen('cccccccccc'));
    expect(memory.screened('text', 'aaaaaaaaaa', screen('aaaaaaaaaa')).part).toBeDefined();
    expect(memory.screened('text', 'bbbbbbbbbb', screen('bbbbbbbbbb')).part).toBeUndefined();
    expect(memory.screened('html', 'aaaaaaaaaa', screen('aaaaaaaaaa')).part).toBeUndefined();
    expect(memory.screened('text', 'too long to keep', screen('too long to keep')).part).toBeUndefined();
  });
});
