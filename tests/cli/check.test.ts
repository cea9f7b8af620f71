import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { palette } from '../../src/cli/output/colour.js';
import { excerpt, locate } from '../../src/cli/output/excerpt.js';
import { chaperone, ensureBuilt, ROOT } from './chaperone-process.js';
import { pdfDocument, spreadsheet, wordDocument } from '../fixtures/documents.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/rules');
const BASIC = ['--rules', path.join(FIXTURES, 'basic')];
let dir: string;

const SECRET_EML = [
  'From: "Mr Smith" <j.smith@oakfield.sch.uk>',
  'To: sam@pupils.oakfield.sch.uk',
  'Subject: Homework',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hi Sam,',
  'Well done today. This is our little secret.',
  'Mr Smith',
  '',
].join('\r\n');

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'chaperone-check-'));
  writeFileSync(path.join(dir, 'secret.eml'), SECRET_EML);
  writeFileSync(path.join(dir, 'clean.txt'), 'Dear parents,\nThe coach leaves at nine on Friday.\n');
  writeFileSync(path.join(dir, 'kisses.txt'), 'See you tomorrow xx\n');
  writeFileSync(
    path.join(dir, 'trip letter.docx'),
    wordDocument({ paragraphs: ['Trip to the coast', 'Well done today. This is our little secret.'] }),
  );
  writeFileSync(
    path.join(dir, 'rota.xlsx'),
    spreadsheet([
      ['Duty', 'Monday'],
      ['Gate', 'Mr Smith'],
    ]),
  );
  writeFileSync(path.join(dir, 'locked.pdf'), pdfDocument({ pages: [['Marks']], password: true }));
}, 120_000);

describe('chaperone check', () => {
  test('reads a Word document as the relay reads one attached, and names the part of each finding', async () => {
    const result = await chaperone(['check', ...BASIC, '--format', 'json', path.join(dir, 'trip letter.docx')]);
    expect(result.code).toBe(1);
    const [report] = JSON.parse(result.stdout) as { action: string; findings: { part: string; text: string }[] }[];
    expect(report!.action).toBe('hold');
    expect(report!.findings).toContainEqual(expect.objectContaining({ part: 'attachment', text: 'our little secret' }));
  });

  test('passes a clean spreadsheet, and holds a PDF it cannot open, saying why', async () => {
    const clean = await chaperone(['check', ...BASIC, path.join(dir, 'rota.xlsx')]);
    expect(clean.code).toBe(0);
    const locked = await chaperone(['check', ...BASIC, path.join(dir, 'locked.pdf')]);
    expect(locked.code).toBe(1);
    expect(locked.stdout).toContain(
      'The attachment "locked.pdf" could not be opened to check its text: it is password-protected.',
    );
  });

  test('exits 0 and says nothing was flagged for clean text', async () => {
    const result = await chaperone(['check', ...BASIC, path.join(dir, 'clean.txt')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 file checked, nothing flagged');
  });

  test('exits 1 for a held message, showing part, line:column, severity, message, rule and the marked excerpt', async () => {
    const result = await chaperone(['check', ...BASIC, path.join(dir, 'secret.eml')]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes('fixture-secret'));
    expect(lines[at]).toMatch(/^\s+body 2:26\s+high\s+Asks the child to keep a secret\.\s+fixture-secret$/);
    expect(lines[at + 1]).toBe('      Well done today. This is our little secret.');
    expect(lines[at + 2]).toBe(' '.repeat(6 + 25) + '^'.repeat('our little secret'.length));
    expect(result.stdout).toContain('held for the DSL (score 10)');
    expect(result.stdout).toContain('1 finding in 1 of 1 file (1 held, 0 tagged)');
  });

  test('exits 1 for a tagged message too', async () => {
    const result = await chaperone(['check', ...BASIC, path.join(dir, 'kisses.txt')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('delivered, tagged (score 2)');
  });

  test('prints one JSON array with an object per file', async () => {
    const result = await chaperone([
      'check',
      ...BASIC,
      '--format',
      'json',
      path.join(dir, 'clean.txt'),
      path.join(dir, 'secret.eml'),
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(report).toHaveLength(2);
    expect(report[0]).toEqual({
      file: path.join(dir, 'clean.txt'),
      recipientClass: 'pupil',
      screened: true,
      action: 'pass',
      score: 0,
      categories: [],
      findings: [],
      problems: [],
    });
    expect(report[1]).toMatchObject({
      action: 'hold',
      score: 10,
      categories: ['personal-content'],
      findings: [{ rule: 'fixture-secret', text: 'our little secret', part: 'body', line: 2, column: 26, score: 10 }],
    });
  });

  test('reads standard input for -', async () => {
    const result = await chaperone(['check', ...BASIC, '-'], { input: 'this is our secret' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('<stdin>');
  });

  test('colours the excerpt only on a terminal: piped output underlines with ^^^ even without NO_COLOR', async () => {
    const result = await chaperone(['check', ...BASIC, path.join(dir, 'kisses.txt')], { env: { NO_COLOR: '' } });
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toContain('^^');
  });

  test('TIMING=1 prints the time per rule on standard error, leaving JSON output parseable', async () => {
    const result = await chaperone(['check', ...BASIC, '--format', 'json', path.join(dir, 'secret.eml')], {
      env: { TIMING: '1' },
    });
    expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
    expect(result.stderr).toMatch(/Rule\s+\| Time \(ms\) \| Relative/);
    expect(result.stderr).toMatch(/fixture-secret\s+\|\s+[\d.]+ \|\s+[\d.]+%/);
  });

  test('exits 2 and names the file when a file is missing', async () => {
    const result = await chaperone(['check', ...BASIC, path.join(dir, 'nope.eml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read ${path.join(dir, 'nope.eml')}: no such file`);
  });

  test('exits 2 naming file, line and key for a misspelt config key', async () => {
    const config = path.join(FIXTURES, 'configs/misspelt.yaml');
    const result = await chaperone(['check', '--config', config, path.join(dir, 'clean.txt')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${config}:5:3: thresholds.hlod: unknown key "hlod" (did you mean "hold"?)`);
  });

  test('exits 2 naming the rule file and line for a pattern re2 refuses', async () => {
    const result = await chaperone(['check', '--rules', path.join(FIXTURES, 'bad-regex'), path.join(dir, 'clean.txt')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad-regex\/pack\.yaml:5:\d+: rule "lookahead-rule": re2 cannot compile the pattern/);
  });

  test('exits 2 for an unknown option', async () => {
    const result = await chaperone(['check', '--bogus', path.join(dir, 'clean.txt')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--bogus'");
  });

  test('--to takes the recipient class from the config directory and applies its policy', async () => {
    const config = path.join(FIXTURES, 'configs/school.yaml');
    // The local pack in this config narrows fixture-secret to "our secret".
    const file = path.join(dir, 'our-secret.txt');
    writeFileSync(file, 'This is our secret.');
    const pupil = await chaperone(['check', '--config', config, '--to', 'sam@pupils.oakfield.sch.uk', file]);
    expect(pupil.code).toBe(1);
    // Parents' policy in this config screens contact details only.
    const parent = await chaperone(['check', '--config', config, '--to', 'mum@parents.example.org', file]);
    expect(parent.code).toBe(0);
    const staff = await chaperone(['check', '--config', config, '--to', 'head@oakfield.sch.uk', file]);
    expect(staff.code).toBe(0);
    expect(staff.stdout).toContain('not screened: the policy for staff mail is "off"');
  });

  test('local rules from the config are merged over the shipped ones', async () => {
    const config = path.join(FIXTURES, 'configs/school.yaml');
    const result = await chaperone(['check', '--config', config, '--format', 'json', '-'], {
      input: 'Thanks sweetie xx',
    });
    const [report] = JSON.parse(result.stdout) as { findings: { rule: string }[] }[];
    expect(report?.findings.map((f) => f.rule)).toEqual(['oakfield-nickname']);
  });
});

describe('check output helpers', () => {
  const plain = palette({ isTTY: false });
  const coloured = palette({ isTTY: true }, {});

  test('line and column count from 1', () => {
    expect(locate('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(locate('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(locate('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });

  test('a long line is cut around the finding, and the marks sit under it', () => {
    const text = `${'a '.repeat(100)}our secret${' b'.repeat(100)}`;
    const start = text.indexOf('our secret');
    const [line, marks] = excerpt(text, start, start + 10, plain);
    expect(line?.length).toBeLessThanOrEqual(102);
    expect(line?.startsWith('…')).toBe(true);
    expect(line?.endsWith('…')).toBe(true);
    expect(line?.slice(marks?.indexOf('^'), (marks?.indexOf('^') ?? 0) + 10)).toBe('our secret');
  });

  test('a finding over several lines is marked to the end of its first line', () => {
    const [line, marks] = excerpt('meet me\nafter school', 0, 20, plain);
    expect(line).toBe('meet me');
    expect(marks).toBe('^^^^^^^');
  });

  test('on a terminal the finding is underlined in colour instead', () => {
    const lines = excerpt('see you xx', 8, 10, coloured);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('\u001b[31m\u001b[4mxx\u001b[24m\u001b[39m');
  });

  test('NO_COLOR turns colour off even on a terminal', () => {
    expect(palette({ isTTY: true }, { NO_COLOR: '1' }).enabled).toBe(false);
  });
});
