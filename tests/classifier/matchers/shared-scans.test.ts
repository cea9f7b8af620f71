// Detector scans that do not depend on a rule's options are read once per part and shared by every rule using
// them (the mobile and landline rules read the same numbers; the two e-mail rules the same addresses).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classify } from '../../../src/classifier/index.js';
import { scanOnce, type Detector } from '../../../src/classifier/detectors/types.js';
import { DetectorMatcher } from '../../../src/classifier/matchers/detector.js';
import { NlpBudget, ScreenText } from '../../../src/classifier/matchers/screen-text.js';
import type { MappedText } from '../../../src/classifier/mapped-text.js';
import { normalise } from '../../../src/classifier/normalise.js';
import { compileYaml, rule } from '../fixture-rules.js';

const organisation = { domains: ['oakfield.sch.uk'], phones: ['0118 496 0000'], accounts: [] };

describe('shared detector scans', () => {
  it('runs a scan once per part however many rules use it, and again for the next part', () => {
    let scans = 0;
    const digitRuns = (mapped: MappedText) => {
      scans++;
      return [...mapped.text.matchAll(/[0-9]+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
    };
    const detector: Detector<{ min: number }> = {
      name: 'digits',
      optionsSchema: z.object({ min: z.number() }),
      detect: (mapped, options, context) =>
        scanOnce(mapped, context, digitRuns).filter((hit) => hit.end - hit.start >= options.min),
    };
    const short = new DetectorMatcher(detector, { min: 1 });
    const long = new DetectorMatcher(detector, { min: 3 });
    const { tables } = compileYaml(rule('any', 'words: [anything]'));
    const context = { organisation, limit: 50 };

    const first = new ScreenText(normalise('room 12, call 07700 900123'), tables, new NlpBudget(10));
    expect(short.find(first, context).map((s) => s.end - s.start)).toEqual([2, 5, 6]);
    expect(long.find(first, context).map((s) => s.end - s.start)).toEqual([5, 6]);
    expect(scans).toBe(1);

    const second = new ScreenText(normalise('no 4'), tables, new NlpBudget(10));
    expect(short.find(second, context)).toHaveLength(1);
    expect(scans).toBe(2);
  });

  it('gives each phone rule the same findings together as alone', () => {
    const mobile = rule('mobile', 'detector: { name: phone, types: [mobile] }');
    const landline = rule('landline', 'detector: { name: phone, types: [fixed-line] }');
    const text =
      'Ring me on 07700 900123 or at home on 0118 496 0123; the office is 0118 496 0000 and my other mobile 07700 900456.';
    const findings = (yaml: string) =>
      classify(text, compileYaml(yaml), { organisation }).findings.map((f) => `${f.rule} ${f.text}`);
    const together = findings(mobile + landline);
    expect([...together].sort()).toEqual([...findings(mobile), ...findings(landline)].sort());
    expect(together).toEqual(['mobile 07700 900123', 'landline 0118 496 0123', 'mobile 07700 900456']);
  });

  it('gives the webmail and other-address rules their own choice of the same addresses', () => {
    const webmail = rule('webmail', 'detector: { name: email, webmailOnly: true }');
    const other = rule('other', 'detector: { name: email }');
    const text = 'Write to jo.b@gmail.com, sam@jo-photography.co.uk or the office@oakfield.sch.uk.';
    const findings = classify(text, compileYaml(webmail + other), { organisation }).findings;
    expect(findings.map((f) => `${f.rule} ${f.text}`)).toEqual([
      'webmail jo.b@gmail.com',
      'other jo.b@gmail.com',
      'other sam@jo-photography.co.uk',
    ]);
  });
});
