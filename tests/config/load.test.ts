import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { loadRules } from '../../src/config/load-rules.js';
import { shippedRulesDir } from '../../src/config/rule-packs.js';
import { RuleFileError } from '../../src/classifier/index.js';

function configError(text: string, file = '/etc/chaperone/chaperone.yaml'): ConfigError {
  try {
    parseConfig(file, text);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loading chaperone.yaml', () => {
  test('no file means every default', async () => {
    const { config, file } = await loadConfig();
    expect(file).toBeUndefined();
    expect(config.thresholds).toEqual({ tag: 2, hold: 5 });
    expect(config.policy.pupil).toEqual({
      mode: 'screen',
      categories: ['contact-details', 'personal-content', 'suggestive'],
    });
    expect(config.policy.staff.mode).toBe('off');
    expect(config.organisation).toEqual({ name: 'Our school', domains: [], phones: [], accounts: [] });
  });

  test('relative paths resolve against the config file’s folder', () => {
    const { config, dir } = parseConfig(
      '/etc/chaperone/chaperone.yaml',
      [
        'rules: { local: ./rules-local, dirs: [../shipped] }',
        'directory: { pupils: { csv: [mis/pupils.csv] } }',
        'smtp: { tls: { key: tls/key.pem, cert: /abs/cert.pem } }',
        'upstream: dir:./outbox',
        'storage: sqlite:data/chaperone.db',
      ].join('\n'),
    );
    expect(dir).toBe('/etc/chaperone');
    expect(config.rules.local).toBe('/etc/chaperone/rules-local');
    expect(config.rules.dirs).toEqual(['/etc/shipped']);
    expect(config.directory.pupils.csv).toEqual(['/etc/chaperone/mis/pupils.csv']);
    expect(config.smtp.tls).toEqual({ key: '/etc/chaperone/tls/key.pem', cert: '/abs/cert.pem' });
    expect(config.upstream).toBe('dir:/etc/chaperone/outbox');
    expect(config.storage).toBe('sqlite:/etc/chaperone/data/chaperone.db');
  });

  test('URLs are left alone', () => {
    const { config } = parseConfig(
      '/etc/c.yaml',
      'upstream: smtp://mail.example.org:25\nstorage: postgres://u:p@db/chaperone',
    );
    expect(config.upstream).toBe('smtp://mail.example.org:25');
    expect(config.storage).toBe('postgres://u:p@db/chaperone');
  });

  test('an unknown key names file, line, column and key, with a did-you-mean', () => {
    const error = configError('organisation:\n  name: Oakfield\n  domain: [oakfield.sch.uk]\n');
    expect(error.line).toBe(3);
    expect(error.column).toBe(3);
    expect(error.key).toBe('organisation.domain');
    expect(error.message).toContain(
      '/etc/chaperone/chaperone.yaml:3:3: organisation.domain: unknown key "domain" (did you mean "domains"?)',
    );
  });

  test('an unknown top-level key suggests the nearest one', () => {
    expect(configError('treshold: {}\n').message).toContain('did you mean "thresholds"?');
  });

  test('a wrong type names the key and its line', () => {
    const error = configError('smtp:\n  maxSize: lots\n');
    expect(error.line).toBe(2);
    expect(error.key).toBe('smtp.maxSize');
    expect(error.problem).toContain('expected number');
  });

  test('a value outside an enum lists the choices', () => {
    const error = configError('policy:\n  pupil: { mode: screne }\n');
    expect(error.key).toBe('policy.pupil.mode');
    expect(error.problem).toContain('"screne" is not one of screen, monitor, off (did you mean "screen"?)');
  });

  test('a cross-field rule is reported', () => {
    expect(configError('thresholds: { tag: 8, hold: 5 }\n').problem).toContain('thresholds.tag must not be above');
  });

  test('bad YAML names the line', () => {
    const error = configError('organisation:\n  name: [unclosed\n');
    expect(error.message).toMatch(/chaperone\.yaml:\d+:\d+: YAML syntax/);
  });

  test('a missing file is a ConfigError naming it', async () => {
    await expect(loadConfig('/no/such/chaperone.yaml')).rejects.toThrow(
      '/no/such/chaperone.yaml: cannot read the configuration: no such file',
    );
  });
});

describe('loading rules for a config', () => {
  test('the shipped rules folder is found from the module’s own location', () => {
    expect(shippedRulesDir()).toBe(path.resolve(import.meta.dirname, '../../rules'));
  });

  test('rules.dirs and rules.local are read and merged', async () => {
    const fixtures = path.resolve(import.meta.dirname, '../fixtures/rules');
    const { config } = parseConfig(
      path.join(fixtures, 'configs/school.yaml'),
      'rules: { dirs: [../basic], local: ../local }',
    );
    const rules = await loadRules(config);
    expect(rules.rules.map((r) => r.id)).toContain('oakfield-nickname');
  });

  test('a missing local folder is a RuleFileError naming it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chaperone-config-'));
    writeFileSync(path.join(dir, 'chaperone.yaml'), 'rules: { local: ./nope }\n');
    const { config } = await loadConfig(path.join(dir, 'chaperone.yaml'));
    const error = await loadRules(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleFileError);
    expect((error as RuleFileError).message).toBe(
      `${path.join(dir, 'nope')}: cannot read the rule folder: no such folder`,
    );
  });
});
