import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorpusError, loadCorpus } from '../../src/eval/load-corpus.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chaperone-corpus-'));
  await mkdir(path.join(root, 'clean', 'eml'), { recursive: true });
  await mkdir(path.join(root, 'positives'), { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const GOOD = `messages:
  - id: clean-a-001
    expect: []
    note: "A plain homework reminder"
    subject: "Homework"
    body: |
      Hi Sam,
      Your homework is due on Friday.
      Mr Okafor
`;

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CorpusError) return error.problems;
    throw error;
  }
  throw new Error('expected the corpus to be rejected');
}

describe('loadCorpus', () => {
  it('loads YAML records into real MIME with their labels, file and line', async () => {
    await writeFile(path.join(root, 'clean', 'homework.yaml'), GOOD);
    const [message, ...rest] = await loadCorpus(root);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      id: 'clean-a-001',
      file: 'clean/homework.yaml',
      line: 2,
      set: 'clean',
      expect: [],
      to: 'pupil',
    });
    const parsed = await simpleParser(message!.raw);
    expect(parsed.subject).toBe('Homework');
    expect(parsed.text).toContain('Your homework is due on Friday.');
  });

  it('names the file, line and record id of a record with an unknown category', async () => {
    await writeFile(
      path.join(root, 'positives', 'bad.yaml'),
      `messages:\n  - id: cd-x-001\n    expect: [contact-detail]\n    note: "typo"\n    subject: "s"\n    body: "b"\n`,
    );
    const problems = await problemsOf(loadCorpus(root));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^positives\/bad\.yaml:2: "cd-x-001": expect\[0\]: /);
  });

  it('names an unknown key so a typo in a field name is not silently ignored', async () => {
    await writeFile(path.join(root, 'clean', 'typo.yaml'), GOOD.replace('subject:', 'subjet:'));
    const problems = await problemsOf(loadCorpus(root));
    expect(problems.join('\n')).toMatch(/clean\/typo\.yaml:2: "clean-a-001": .*subjet/);
  });

  it('rejects a duplicate id, naming both places', async () => {
    await writeFile(path.join(root, 'clean', 'a.yaml'), GOOD);
    await writeFile(path.join(root, 'positives', 'b.yaml'), GOOD.replace('expect: []', 'expect: [suggestive]'));
    const problems = await problemsOf(loadCorpus(root));
    expect(problems).toEqual(['positives/b.yaml:2: "clean-a-001": duplicate id, first used at clean/a.yaml:2']);
  });

  it('reports YAML syntax errors with their line', async () => {
    await writeFile(path.join(root, 'clean', 'broken.yaml'), 'messages:\n  - id: x\n    body: "unterminated\n');
    const problems = await problemsOf(loadCorpus(root));
    expect(problems[0]).toMatch(/^clean\/broken\.yaml:\d+: YAML: /);
  });

  it('reports every problem at once rather than stopping at the first', async () => {
    await writeFile(
      path.join(root, 'clean', 'two.yaml'),
      `messages:\n  - id: Bad_Id\n    expect: []\n    note: "n"\n    subject: "s"\n    body: "b"\n  - id: ok-1\n    expect: []\n    note: "n"\n    subject: "s"\n    body: "b"\n    encoding: attachment\n`,
    );
    const problems = await problemsOf(loadCorpus(root));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/two\.yaml:2: "Bad_Id": id: /);
    expect(problems[1]).toMatch(/two\.yaml:7: "ok-1": attachments: encoding "attachment" needs an attachments list/);
  });

  it('reads .eml labels from X-Corpus headers and strips them before screening', async () => {
    const eml = [
      'X-Corpus-Expect: contact-details, suggestive',
      'X-Corpus-Note: Hand-made',
      '  folded note',
      'X-Corpus-To: parent',
      'From: j.hughes@oakfield.sch.uk',
      'To: parent@example.com',
      'Subject: Raw',
      '',
      'Body text.',
      '',
    ].join('\r\n');
    await writeFile(path.join(root, 'positives', 'eml-note.yaml'), GOOD.replace('clean-a-001', 'other-001'));
    await mkdir(path.join(root, 'positives', 'eml'));
    await writeFile(path.join(root, 'positives', 'eml', 'raw-odd-001.eml'), eml);
    const messages = await loadCorpus(root);
    const raw = messages.find((message) => message.id === 'raw-odd-001');
    expect(raw).toMatchObject({
      expect: ['contact-details', 'suggestive'],
      note: 'Hand-made folded note',
      to: 'parent',
      encoding: 'eml',
    });
    expect(raw!.raw.toString('latin1')).toBe(
      'From: j.hughes@oakfield.sch.uk\r\nTo: parent@example.com\r\nSubject: Raw\r\n\r\nBody text.\r\n',
    );
  });

  it('rejects an .eml without an X-Corpus-Expect header', async () => {
    await writeFile(path.join(root, 'clean', 'eml', 'no-label.eml'), 'Subject: x\r\n\r\nbody\r\n');
    const problems = await problemsOf(loadCorpus(root));
    expect(problems).toEqual([
      'clean/eml/no-label.eml:1: "no-label": missing the X-Corpus-Expect header (leave it empty for a clean message)',
    ]);
  });

  it('ignores the baseline folder, which holds the regex-only table and no messages', async () => {
    await writeFile(path.join(root, 'clean', 'homework.yaml'), GOOD);
    await mkdir(path.join(root, 'baseline'));
    await writeFile(path.join(root, 'baseline', 'odd.yaml'), 'not: a corpus file\n');
    expect(await loadCorpus(root)).toHaveLength(1);
  });
});
