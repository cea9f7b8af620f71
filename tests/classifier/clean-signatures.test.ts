import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classifier/index.js';
import { classifyWith } from '../../src/classifier/classify.js';
import { ruleSelection } from '../../src/classifier/rule-selection.js';
import type { ClassifyOptions } from '../../src/classifier/types.js';
import { compileYaml, rule } from './fixture-rules.js';

const SIGNATURE = '--\nMr D. Jones\nHead of Humanities\nOakfield Academy, Meadow Lane\nTel: 0118 496 0000';

function message(body: string, signature = SIGNATURE): string {
  return `Hi Sam,\n\n${body}\n\nMany thanks,\n${signature}\n`;
}

function remembered(rules: ReturnType<typeof compileYaml>, options: ClassifyOptions): number {
  const selection = ruleSelection(rules.rules, options.recipientClass ?? 'pupil', options.categories);
  return selection.cleanSignatures(rules.tables, options.organisation!).size;
}

describe('signatures screened before with nothing found', () => {
  it('are not screened again, and the verdict is the one screening them gives', () => {
    const rules = compileYaml(rule('secret', "pattern: '\\bour secret\\b'", '    parts: [body, signature]\n'));
    const options: ClassifyOptions = { organisation: { domains: [], phones: [], accounts: [] } };
    const first = classify(message('The trip is on Friday.'), rules, options);
    expect(remembered(rules, options)).toBe(1);
    const again = classify(message('The trip is on Friday.'), rules, options);
    expect(again).toEqual(first);
    // A body finding next to a remembered signature is still found, at the same place.
    const flagged = classify(message('This is our secret.'), rules, options);
    expect(flagged.findings.map((f) => [f.text, f.part])).toEqual([['our secret', 'body']]);
  });

  it('are remembered only when nothing was found in them', () => {
    const rules = compileYaml(rule('secret', "pattern: '\\bour secret\\b'", '    parts: [body, signature]\n'));
    const options: ClassifyOptions = { organisation: { domains: [], phones: [], accounts: [] } };
    const signature = '--\nMr D. Jones\nKeep this our secret';
    for (let i = 0; i < 2; i++) {
      const verdict = classify(message('The trip is on Friday.', signature), rules, options);
      expect(verdict.findings.map((f) => [f.text, f.part])).toEqual([['our secret', 'signature']]);
    }
    expect(remembered(rules, options)).toBe(0);
  });

  it('are remembered per recipient class: a clean signature to a pupil is still screened for a parent', () => {
    const rules = compileYaml(
      rule('parents-only', "pattern: '\\bhumanities\\b'", '    parts: [signature]\n    recipients: [parent]\n'),
    );
    const organisation = { domains: [], phones: [], accounts: [] };
    expect(classify(message('Hello.'), rules, { organisation, recipientClass: 'pupil' }).findings).toEqual([]);
    const toParent = classify(message('Hello.'), rules, { organisation, recipientClass: 'parent' });
    expect(toParent.findings.map((f) => f.text)).toEqual(['Humanities']);
  });

  it('are remembered per set of rules: a signature clean for one rule is still screened with another', () => {
    const rules = compileYaml(
      rule('first', "pattern: '\\bnothing here\\b'", '    parts: [signature]\n') +
        rule('second', "pattern: '\\bhumanities\\b'", '    parts: [signature]\n'),
    );
    const organisation = { domains: [], phones: [], accounts: [] };
    const [first, second] = rules.rules;
    expect(classifyWith(message('Hello.'), [first!], rules.tables, { organisation }).findings).toEqual([]);
    const withSecond = classifyWith(message('Hello.'), [second!], rules.tables, { organisation });
    expect(withSecond.findings.map((f) => f.text)).toEqual(['Humanities']);
  });

  it('are not remembered when they sent a sentence to the NLP layer, so the budget is spent alike', () => {
    const rules = compileYaml(rule('meet-up', "phrase: '(meet|meeting) me tonight'", '    parts: [body, signature]\n'));
    const options: ClassifyOptions = { organisation: { domains: [], phones: [], accounts: [] } };
    classify(message('Hello.', '--\nMr D. Jones\nMeeting tonight in room 4'), rules, options);
    expect(remembered(rules, options)).toBe(0);
  });
});
