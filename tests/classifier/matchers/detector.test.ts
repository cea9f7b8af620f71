import { describe, expect, test } from 'vitest';
import { classify } from '../../../src/classifier/index.js';
import { compileYaml, rule } from '../fixture-rules.js';

describe('detector matcher', () => {
  const organisation = { domains: ['oakfield.sch.uk'], phones: ['01632 960000'], accounts: ['@oakfieldacademy'] };

  test('passes the organisation settings to the detector, so the school’s own number is not a finding', () => {
    const rules = compileYaml(rule('phone', 'detector: { name: phone }'));
    expect(classify('Ring the office on 01632 960000', rules).findings).toHaveLength(1);
    expect(classify('Ring the office on 01632 960000', rules, { organisation }).findings).toEqual([]);
  });

  test('reports the detector’s detail and the exact original span of an obfuscated number', () => {
    const rules = compileYaml(rule('phone', 'detector: { name: phone, types: [mobile] }'));
    const text = 'text me on seven seven zero zero nine zero zero one two three tonight';
    const [finding] = classify(text, rules).findings;
    expect(finding?.detail).toEqual({ numberType: 'mobile', e164: '+447700900123' });
    expect(finding?.text).toBe('seven seven zero zero nine zero zero one two three');
    expect(text.slice(finding?.start, finding?.end)).toBe(finding?.text);
  });

  test('webmailOnly keeps school addresses and other domains out', () => {
    const rules = compileYaml(rule('mail', 'detector: { name: email, webmailOnly: true }'));
    const found = (text: string) => classify(text, rules, { organisation }).findings.map((f) => f.text);
    expect(found('write to sam.jones@gmail.com')).toEqual(['sam.jones@gmail.com']);
    expect(found('write to office@oakfield.sch.uk')).toEqual([]);
    expect(found('write to bookings@museum.org.uk')).toEqual([]);
  });

  test('context raise words apply to detector findings', () => {
    const rules = compileYaml(rule('mail', 'detector: { name: email }', '    context:\n      raise: [personal]\n'));
    const severity = (text: string) => classify(text, rules).findings[0]?.severity;
    expect(severity('bookings@museum.org.uk for tickets')).toBe('medium');
    expect(severity('my personal address is sam.jones@museum.org.uk')).toBe('high');
  });
});
