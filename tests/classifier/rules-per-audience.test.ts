// classify works out once per rule list and audience which rules apply to each kind of part (classify.ts): screening
// the same message for one audience after another must give each audience's own verdict.
import { describe, expect, it } from 'vitest';
import { classifyWith } from '../../src/classifier/classify.js';
import type { Category, ClassifyOptions, RecipientClass } from '../../src/classifier/types.js';
import { compileYaml, rule } from './fixture-rules.js';

const rules = compileYaml(
  rule('secret', "pattern: '\\bour secret\\b'", '    parts: [body, signature]\n') +
    rule('pupil-only', "pattern: '\\bmeet me\\b'", '    recipients: [pupil]\n') +
    rule('subject-only', "pattern: '\\bprivate\\b'", '    parts: [subject]\n'),
);
const message = {
  subject: 'Something private',
  text: 'Meet me after school, it is our secret.\n\n--\nMr D. Jones\nKeep this our secret',
  html: '<p>Meet me after school, it is our secret.</p><p>--<br>Mr D. Jones<br>Keep this our secret</p>',
};
const audiences: { recipientClass: RecipientClass; categories?: Category[] }[] = [
  { recipientClass: 'pupil' },
  { recipientClass: 'parent' },
  { recipientClass: 'pupil', categories: ['suggestive'] },
  { recipientClass: 'pupil', categories: ['personal-content'] },
  { recipientClass: 'staff', categories: ['personal-content', 'suggestive'] },
  { recipientClass: 'pupil' },
];

describe('rules chosen per audience', () => {
  it('gives each audience its own verdict when one rule list screens for several in turn', () => {
    const organisation = { domains: [], phones: [], accounts: [] };
    for (const audience of audiences) {
      const options: ClassifyOptions = { organisation, ...audience };
      // A copy of the list has nothing worked out for it yet.
      const fresh = classifyWith(message, [...rules.rules], rules.tables, options);
      const shared = classifyWith(message, rules.rules, rules.tables, options);
      expect(shared).toEqual(fresh);
    }
    const ruleIds = (options: ClassifyOptions): string[] =>
      classifyWith(message, rules.rules, rules.tables, { organisation, ...options }).findings.map((f) => f.rule);
    expect(ruleIds({ recipientClass: 'pupil' })).toContain('pupil-only');
    expect(ruleIds({ recipientClass: 'parent' })).not.toContain('pupil-only');
    expect(ruleIds({ recipientClass: 'pupil', categories: ['suggestive'] })).toEqual([]);
    expect(ruleIds({ recipientClass: 'pupil' })).toContain('subject-only');
  });
});
