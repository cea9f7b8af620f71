import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { chaperone, ensureBuilt, ROOT } from './chaperone-process.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/rules');

beforeAll(() => ensureBuilt(), 120_000);

describe('chaperone rules', () => {
  test('rules test exits 0 and prints the summary when every example holds', async () => {
    const result = await chaperone(['rules', 'test', '--rules', path.join(FIXTURES, 'basic')]);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^(\d+) examples, \1 passed, 0 failed$/);
    expect(result.code).toBe(0);
  });

  test('rules test reports each failing example with file:line and exits 1', async () => {
    const result = await chaperone(['rules', 'test', '--rules', path.join(FIXTURES, 'failing-examples')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('tests/fixtures/rules/failing-examples/pack.yaml:12:11');
    expect(result.stdout).toContain('flag example gave no finding from pet-names');
    expect(result.stdout).toContain('"Thanks sweety"');
    expect(result.stdout).toContain('3 examples, 2 passed, 1 failed');
  });

  test('rules test warns about a rule with no flag: examples, without failing', async () => {
    const config = path.join(FIXTURES, 'configs/school.yaml');
    const result = await chaperone(['rules', 'test', '--config', config]);
    expect(result.stdout).toMatch(/local\/overrides\.yaml:\d+\s+warning rule fixture-secret has no flag: examples/);
    expect(result.code).toBe(0);
  });

  test('rules test --rule runs one rule only, and suggests a close id for an unknown one', async () => {
    const basic = path.join(FIXTURES, 'basic');
    const one = await chaperone(['rules', 'test', '--rules', basic, '--rule', 'fixture-meet']);
    expect(one.stdout.trim().split('\n').at(-1)).toBe('5 examples, 5 passed, 0 failed');
    const typo = await chaperone(['rules', 'test', '--rules', basic, '--rule', 'fixture-meat']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('no rule has the id "fixture-meat" (did you mean "fixture-meet"?)');
  });

  test('rules list shows id, category, severity, matcher kind and file', async () => {
    const result = await chaperone(['rules', 'list', '--rules', path.join(FIXTURES, 'basic')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /fixture-meet\s+personal-content\s+medium\s+phrase\s+tests\/fixtures\/rules\/basic\/engine\.yaml:\d+/,
    );
    expect(result.stdout).toMatch(/\n\d+ rules\n?$/);
  });

  test('rules list --format json lists local overrides as local', async () => {
    const config = path.join(FIXTURES, 'configs/school.yaml');
    const result = await chaperone(['rules', 'list', '--config', config, '--format', 'json']);
    const listed = JSON.parse(result.stdout) as { id: string; local: boolean }[];
    expect(listed.find((r) => r.id === 'fixture-secret')?.local).toBe(true);
    expect(listed.some((r) => r.id === 'fixture-kisses')).toBe(false);
  });

  test('the shipped packs load', async () => {
    const result = await chaperone(['rules', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('rules/');
  });

  test('rules with no subcommand exits 2 with usage', async () => {
    const result = await chaperone(['rules']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing subcommand');
  });
});
