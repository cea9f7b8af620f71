import { describe, expect, test } from 'vitest';
import { compileRules, runRuleExamples } from '../../src/classifier/index.js';
import { fixtureRules, packsIn } from './fixture-rules.js';

describe('rule examples', () => {
  test('every example of the fixture packs holds', () => {
    expect(runRuleExamples(fixtureRules())).toEqual([]);
  });

  test('a flag example that gives no finding is reported with its file and line', () => {
    const failures = runRuleExamples(compileRules(packsIn('failing-examples')));
    expect(failures).toEqual([
      {
        rule: 'pet-names',
        kind: 'flag',
        example: 'Thanks sweety',
        file: expect.stringMatching(/failing-examples\/pack\.yaml$/),
        line: 12,
        column: 11,
        message: 'flag example gave no finding from pet-names',
      },
    ]);
  });

  test('a pass example that is flagged names what was found', () => {
    const text = `rules:
  - id: kisses
    category: suggestive
    severity: low
    words: [xx]
    guidance: Sexual conduct
    explain: Kisses.
    advice: Sign off professionally.
    examples:
      pass: ['Box xx is in the hall']
`;
    const [failure] = runRuleExamples(compileRules([{ file: 'k.yaml', text }]));
    expect(failure).toMatchObject({ kind: 'pass', line: 10, message: 'pass example was flagged by kisses: "xx"' });
  });

  test('examples of a rule for parents only are screened as mail to a parent', () => {
    const text = `rules:
  - id: parents-only
    category: personal-content
    severity: medium
    recipients: [parent]
    words: [babysit]
    guidance: Social contact outside of the workplace
    explain: Offers to babysit.
    advice: Keep to school.
    examples:
      flag: ['I could babysit on Saturday']
`;
    expect(runRuleExamples(compileRules([{ file: 'p.yaml', text }]))).toEqual([]);
  });

  test('organisation settings from the options apply to examples', () => {
    const text = `rules:
  - id: numbers
    category: contact-details
    severity: high
    detector: { name: phone, types: [any] }
    guidance: Communication with children (including the use of technology)
    explain: A number.
    advice: Use the office.
    examples:
      pass: ['Call the office on 01632 960000']
`;
    const rules = compileRules([{ file: 'n.yaml', text }]);
    expect(runRuleExamples(rules)).toHaveLength(1);
    const organisation = { domains: [], phones: ['01632 960000'], accounts: [] };
    expect(runRuleExamples(rules, { organisation })).toEqual([]);
  });
});
