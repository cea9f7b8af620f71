import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/eval.js';

let root: string;

const RULES = `rules:
  - id: test-snapchat
    category: contact-details
    severity: high
    words: [snapchat]
    guidance: "Communication with children (including the use of technology)"
    explain: "A personal social-media account."
    advice: "Use school channels."
  - id: test-secret
    category: personal-content
    severity: high
    words: [our little secret]
    guidance: "Communication with children (including the use of technology)"
    explain: "Asks the pupil to keep a secret."
    advice: "Never ask a pupil to keep contact secret."
  - id: test-gorgeous
    category: suggestive
    severity: high
    words: [gorgeous]
    guidance: "Sexual conduct"
    explain: "A comment on the pupil's appearance."
    advice: "Do not comment on appearance."
`;

function record(id: string, expect: string, body: string): string {
  return `  - id: ${id}\n    expect: ${expect}\n    note: "test"\n    subject: "Test"\n    body: "${body}"\n`;
}

const PASSING = [
  record('p-cd-1', '[contact-details]', 'Add me on snapchat, it is quicker.'),
  record('p-pc-1', '[personal-content]', 'This is our little secret.'),
  record('p-sg-1', '[suggestive]', 'You looked gorgeous at the disco.'),
].join('');

async function writeCorpus(positives: string): Promise<void> {
  await mkdir(path.join(root, 'corpus', 'clean'), { recursive: true });
  await mkdir(path.join(root, 'corpus', 'positives'), { recursive: true });
  await mkdir(path.join(root, 'corpus', 'baseline'), { recursive: true });
  await mkdir(path.join(root, 'rules'), { recursive: true });
  await writeFile(path.join(root, 'rules', 'test.yaml'), RULES);
  await writeFile(
    path.join(root, 'corpus', 'chaperone.yaml'),
    'organisation:\n  name: Test School\n  domains: [oakfield.sch.uk]\n',
  );
  await writeFile(
    path.join(root, 'corpus', 'baseline', 'body_checks.pcre'),
    '/snapchat/ HOLD contact-details: social\n/secret/ HOLD personal-content: secrecy\n',
  );
  await writeFile(
    path.join(root, 'corpus', 'clean', 'clean.yaml'),
    `messages:\n${record('c-1', '[]', 'The trip leaves at 8am from the school gate.')}${record('c-2', '[]', 'Keep your password secret.')}`,
  );
  await writeFile(path.join(root, 'corpus', 'positives', 'positives.yaml'), `messages:\n${positives}`);
}

async function runEval(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    stdout += `${parts.join(' ')}\n`;
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
    stderr += `${parts.join(' ')}\n`;
  });
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await run(args);
    return { code, stdout, stderr };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chaperone-eval-cli-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('chaperone eval', () => {
  it('exits 0 and prints the documented JSON shape when the gate thresholds are met', async () => {
    await writeCorpus(PASSING);
    const corpus = path.join(root, 'corpus');
    const { code, stdout } = await runEval([
      '--corpus',
      corpus,
      '--rules',
      path.join(root, 'rules'),
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['total', 'clean', 'categories', 'misses', 'falseHolds', 'baseline', 'timing', 'gate']),
    );
    expect(report.total).toBe(5);
    expect(report.clean).toMatchObject({ total: 2, passed: 2 });
    expect(report.categories).toEqual({
      'contact-details': { precision: 1, recall: 1, f1: 1, support: 1 },
      'personal-content': { precision: 1, recall: 1, f1: 1, support: 1 },
      suggestive: { precision: 1, recall: 1, f1: 1, support: 1 },
    });
    expect(report.misses).toEqual([]);
    expect(report.falseHolds).toEqual([]);
    expect(report.gate).toEqual({ passed: true, failures: [] });
    // The baseline's "secret" pattern holds the clean password reminder and misses the appearance comment.
    expect(report.baseline).toMatchObject({
      clean: { total: 2, passed: 1, falseHoldRate: 0.5 },
      categories: { suggestive: { recall: 0, support: 1 } },
    });
    expect(report.timing).toMatchObject({ messages: 5 });
  });

  it('exits 1 and names each miss with its file, id and findings when a threshold is not met', async () => {
    await writeCorpus(PASSING + record('p-sg-2', '[suggestive]', 'Wear the red dress on Friday, it suits you.'));
    const corpus = path.join(root, 'corpus');
    const { code, stdout } = await runEval(['--corpus', corpus, '--rules', path.join(root, 'rules')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/positives\/positives\.yaml:\d+ p-sg-2: missed suggestive \(pass; no findings\)/);
    expect(stdout).toMatch(/Quality gate: FAILED\.\n {2}suggestive recall 50\.0% of 2 is below 92\.0%/);
  });

  it('exits 2 with the file, line and id when a corpus record is invalid', async () => {
    await writeCorpus(PASSING + record('p-bad', '[flirty]', 'x'));
    const { code, stderr } = await runEval([
      '--corpus',
      path.join(root, 'corpus'),
      '--rules',
      path.join(root, 'rules'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/positives\/positives\.yaml:\d+: "p-bad": expect\[0\]/);
  });

  it('exits 2 on an unknown option or format', async () => {
    expect((await runEval(['--colour'])).code).toBe(2);
    const { code, stderr } = await runEval(['--format', 'xml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--format must be text, json, markdown/);
  });

  it('reports a JSON Lines set per label, apart from the corpus, saying it was wrapped as e-mail', async () => {
    await writeCorpus(PASSING);
    const dataset = path.join(root, 'chat.jsonl');
    await writeFile(
      dataset,
      [
        { id: 1, source: 'test', text: 'you are gorgeous', label: 'flirtatious', notes: {} },
        { id: 2, source: 'test', text: 'see you at practice', label: 'not_flirtatious', notes: {} },
        { id: 3, source: 'test', text: 'what time is it', label: 'not_flirtatious', notes: {} },
      ]
        .map((row) => JSON.stringify(row))
        .join('\n'),
    );
    const corpus = path.join(root, 'corpus');
    const args = ['--corpus', corpus, '--rules', path.join(root, 'rules'), '--dataset', dataset];
    const json = await runEval([...args, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { datasets: { file: string; labels: unknown[]; caveat: string }[] };
    expect(report.datasets[0]?.file).toBe('chat.jsonl');
    expect(report.datasets[0]?.caveat).toMatch(/wrapped as the plain-text body of an e-mail/);
    expect(report.datasets[0]?.labels).toEqual([
      expect.objectContaining({
        label: 'flirtatious',
        total: 1,
        flagged: 1,
        categories: expect.objectContaining({ suggestive: 1 }),
      }),
      expect.objectContaining({ label: 'not_flirtatious', total: 2, flagged: 0 }),
    ]);
    const text = await runEval(args);
    expect(text.stdout).toMatch(/Real-world sets\. Each text was wrapped as the plain-text body of an e-mail/);
  });
});
