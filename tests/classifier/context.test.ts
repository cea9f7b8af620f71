import { describe, expect, test } from 'vitest';
import { classify } from '../../src/classifier/index.js';
import { compileYaml, fixtureRules, rule } from './fixture-rules.js';

describe('context around a match', () => {
  const rules = fixtureRules();
  const severityOf = (text: string, id: string) => classify(text, rules).findings.find((f) => f.rule === id)?.severity;

  test('a raise word within the window lifts the severity one step', () => {
    expect(severityOf('Shall we meet after school?', 'fixture-meet')).toBe('medium');
    expect(severityOf('Shall we meet after school, just us, alone?', 'fixture-meet')).toBe('high');
  });

  test('a lower word within the window brings it down one step', () => {
    expect(severityOf('night night gorgeous xx', 'fixture-kisses')).toBe('medium');
    expect(severityOf('say hi to your mum xx', 'fixture-kisses')).toBeUndefined();
  });

  test('lowered below low, the match is dropped', () => {
    expect(classify('say hi to your mum xx', rules).findings.filter((f) => f.rule === 'fixture-kisses')).toEqual([]);
  });

  test('multi-word lower entries are matched as a sequence', () => {
    expect(severityOf('Meet me after school at parents evening', 'fixture-meet')).toBe('low');
  });

  test('context words outside the window do not count', () => {
    const far = 'mum said that the bus was late again today so we waited xx';
    expect(severityOf(far, 'fixture-kisses')).toBe('low');
  });

  test('context words in another sentence do not count', () => {
    expect(severityOf('Thanks mum. xx', 'fixture-kisses')).toBe('low');
  });

  test('an unless exception on the same sentence drops the match', () => {
    expect(severityOf('This is our secret, a surprise for Miss.', 'fixture-secret')).toBeUndefined();
    expect(severityOf('This is our secret. The surprise is Friday.', 'fixture-secret')).toBe('high');
  });

  test('unless phrases and patterns are tested on the sentence of the match', () => {
    const rules2 = compileYaml(
      rule(
        's',
        "pattern: 'secret'",
        "    unless:\n      - phrase: '{keep} (the|your) password'\n      - pattern: 'santa'\n",
      ),
    );
    expect(classify('Keep your password secret.', rules2).findings).toEqual([]);
    expect(classify('The secret santa list.', rules2).findings).toEqual([]);
    expect(classify('It is a secret. Keep your password safe.', rules2).findings).toHaveLength(1);
  });
});
