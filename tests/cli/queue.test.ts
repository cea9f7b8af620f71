// `chaperone queue` as an administrator runs it: the built command against a real SQLite store, releasing through a
// real SMTP server standing in for the school's outbound relay.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/gateway/sqlite-store.js';
import { makeHold } from '../gateway/store/fixtures.js';
import { runCli } from '../gateway/store/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../gateway/store/smtp-sink.js';

let folder: string;
let config: string;
let store: SqliteStore;
let sink: SmtpSink;
const actor = `cli:${userInfo().username}`;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'chaperone-queue-cli-'));
  config = join(folder, 'chaperone.yaml');
  writeFileSync(config, `storage: sqlite:./data/chaperone.db\nupstream: ${sink.url}\n`);
  mkdirSync(join(folder, 'data'));
  store = new SqliteStore(join(folder, 'data', 'chaperone.db'));
  await store.init();
  sink.messages.length = 0;
  return async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  };
});

const at = (minute: number) => new Date(Date.parse('2025-03-03T09:00:00Z') + minute * 60_000);

async function seed() {
  const mobile = makeHold({
    receivedAt: at(0),
    subject: 'Revision',
    rules: [{ rule: 'personal-mobile', category: 'contact-details' }],
  });
  const remark = makeHold({
    receivedAt: at(5),
    sender: 'a.jones@oakfield.sch.uk',
    subject: 'Your photo',
    recipients: [
      { address: 'pupil2@pupils.oakfield.sch.uk', class: 'pupil' },
      { address: 'parent2@example.com', class: 'parent' },
    ],
    rules: [{ rule: 'appearance-comment', category: 'suggestive' }],
  });
  const decided = makeHold({ receivedAt: at(10), subject: 'Old news' });
  for (const hold of [mobile, remark, decided]) await store.putHold(hold);
  await store.decide(decided.id, { state: 'rejected', actor: 'dsl@x', reason: 'No', at: at(11) });
  return { mobile, remark, decided };
}

describe('chaperone queue list', () => {
  it('prints the messages awaiting a decision as JSON, newest first', async () => {
    const { mobile, remark } = await seed();
    const result = await runCli(['queue', 'list', '--config', config, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        id: remark.id,
        state: 'held',
        from: 'a.jones@oakfield.sch.uk',
        to: ['pupil2@pupils.oakfield.sch.uk', 'parent2@example.com'],
        subject: 'Your photo',
        categories: ['suggestive'],
        score: 10,
        receivedAt: '2025-03-03T09:05:00.000Z',
      },
      {
        id: mobile.id,
        state: 'held',
        from: 'j.smith@oakfield.sch.uk',
        to: ['pupil1@pupils.oakfield.sch.uk'],
        subject: 'Revision',
        categories: ['contact-details'],
        score: 10,
        receivedAt: '2025-03-03T09:00:00.000Z',
      },
    ]);
    expect((await store.listAudit({ actor }))[0]).toMatchObject({ action: 'queue.listed', detail: { shown: 2 } });
  });

  it('filters by state, category and sender', async () => {
    const { mobile, remark, decided } = await seed();
    const ids = async (...args: string[]) => {
      const result = await runCli(['queue', 'list', '--config', config, '--format', 'json', ...args]);
      expect(result.code).toBe(0);
      return (JSON.parse(result.stdout) as { id: string }[]).map((e) => e.id);
    };
    expect(await ids('--state', 'all')).toEqual([decided.id, remark.id, mobile.id]);
    expect(await ids('--state', 'rejected')).toEqual([decided.id]);
    expect(await ids('--category', 'suggestive')).toEqual([remark.id]);
    expect(await ids('--sender', 'smith', '--state', 'all')).toEqual([decided.id, mobile.id]);
  });

  it('prints an aligned table', async () => {
    const { mobile, remark } = await seed();
    const result = await runCli(['queue', 'list', '--config', config]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+RECEIVED\s+STATE\s+FROM\s+TO\s+CATEGORIES\s+SCORE\s+SUBJECT$/);
    expect(lines[1]).toContain(remark.id);
    expect(lines[1]).toContain('pupil2@pupils.oakfield.sch.uk +1');
    expect(lines[2]).toContain(mobile.id);
    for (const column of ['STATE', 'FROM', 'SUBJECT']) {
      const start = lines[0]!.indexOf(column);
      expect(lines[1]!.slice(start - 2, start)).toBe('  ');
      expect(lines[2]![start]).not.toBe(' ');
    }
  });

  it('refuses an unknown state or category as a usage error', async () => {
    expect((await runCli(['queue', 'list', '--config', config, '--state', 'pending'])).code).toBe(2);
    const result = await runCli(['queue', 'list', '--config', config, '--category', 'rude']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--category must be one of contact-details, personal-content, suggestive');
  });
});

describe('chaperone queue show', () => {
  it('shows sender, recipients with classes, findings with the offending text and the audit trail, and audits the view', async () => {
    const { remark } = await seed();
    const result = await runCli(['queue', 'show', remark.id.toLowerCase(), '--config', config]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Message ${remark.id}`);
    expect(result.stdout).toContain('held, awaiting a decision');
    expect(result.stdout).toContain('a.jones@oakfield.sch.uk');
    expect(result.stdout).toContain('parent2@example.com (parent)');
    expect(result.stdout).toContain('appearance-comment  [suggestive, high, in the body]');
    expect(result.stdout).toContain('"07700 900123"');
    expect(result.stdout).toMatch(/hold\.created\s+system from 127\.0\.0\.1/);
    expect(result.stdout).toMatch(new RegExp(`hold\\.viewed\\s+${actor}`));
    expect((await store.listAudit({ holdId: remark.id }))[0]).toMatchObject({ action: 'hold.viewed', actor });
  });

  it('prints JSON with findings and the audit trail', async () => {
    const { mobile } = await seed();
    const result = await runCli(['queue', 'show', mobile.id, '--config', config, '--format', 'json']);
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout) as {
      id: string;
      findings: { rule: string }[];
      audit: { action: string }[];
    };
    expect(shown.id).toBe(mobile.id);
    expect(shown.findings.map((f) => f.rule)).toEqual(['personal-mobile']);
    expect(shown.audit.map((e) => e.action)).toEqual(['hold.created', 'hold.viewed']);
  });

  it('shows terminal control characters from the message as ? rather than sending them to the terminal', async () => {
    const hold = makeHold({ subject: 'Hi\u001b[2J\u001b]0;owned\u0007 \u202eevil' });
    await store.putHold(hold);
    const result = await runCli(['queue', 'show', hold.id, '--config', config]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(result.stdout).toContain('Hi?[2J?]0;owned? ?evil');
  });

  it('exits 1 for an id no message has', async () => {
    const result = await runCli(['queue', 'show', '0000000AA-BBBBBB', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No held message has the id 0000000AA-BBBBBB.');
  });
});

describe('chaperone queue decisions', () => {
  it('releases a message: delivers it through the upstream, marked released without naming who released it', async () => {
    const { remark } = await seed();
    const result = await runCli([
      'queue',
      'release',
      remark.id,
      '--config',
      config,
      '--reason',
      'Checked with teacher',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Released ${remark.id}: delivered to 2 recipients`);
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.to).toEqual(['pupil2@pupils.oakfield.sch.uk', 'parent2@example.com']);
    expect(sink.messages[0]!.raw.toString()).toMatch(
      new RegExp(`^X-Chaperone-Verdict: released\r\nX-Chaperone-Id: ${remark.id}\r\n`),
    );
    expect(await store.getHold(remark.id)).toMatchObject({
      state: 'released',
      decidedBy: actor,
      decisionReason: 'Checked with teacher',
      delivery: { status: 'delivered' },
    });

    const again = await runCli(['queue', 'release', remark.id, '--config', config]);
    expect(again.code).toBe(1);
    // The same person repeating a command is told it was them, not that someone else decided first.
    expect(again.stderr).toMatch(
      new RegExp(
        `^chaperone queue: This message was already released by you at \\d{2}:\\d{2}\\. Nothing was changed\\.\\n$`,
      ),
    );
    expect(sink.messages).toHaveLength(1);
  });

  it('reports a failed delivery with exit 1, keeps the message, and delivers it on retry', async () => {
    const { mobile } = await seed();
    sink.refuseNext(451);
    const failed = await runCli(['queue', 'release', mobile.id, '--config', config]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('delivery failed');
    expect(failed.stderr).toContain(`chaperone queue retry ${mobile.id}`);
    const retried = await runCli(['queue', 'retry', mobile.id, '--config', config]);
    expect(retried.code).toBe(0);
    expect(sink.messages).toHaveLength(1);
  });

  it('rejects and escalates only with a reason, and records them', async () => {
    const { mobile, remark } = await seed();
    const noReason = await runCli(['queue', 'reject', mobile.id, '--config', config]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('needs --reason');
    expect((await runCli(['queue', 'reject', mobile.id, '--config', config, '--reason', 'Not appropriate'])).code).toBe(
      0,
    );
    const escalated = await runCli([
      'queue',
      'escalate',
      remark.id,
      '--config',
      config,
      '--reason',
      'Head to see',
      '--format',
      'json',
    ]);
    expect(escalated.code).toBe(0);
    expect(JSON.parse(escalated.stdout)).toMatchObject({
      id: remark.id,
      state: 'escalated',
      decidedBy: actor,
      reason: 'Head to see',
    });
    expect((await store.getHold(mobile.id))?.state).toBe('rejected');
    expect((await store.listAudit({ holdId: mobile.id }))[0]).toMatchObject({ action: 'hold.rejected', actor });
    expect(sink.messages).toHaveLength(0);
  });

  it('exits 2 for a configuration it cannot use or a command it does not know', async () => {
    writeFileSync(join(folder, 'bad.yaml'), 'storage: mysql://nowhere\n');
    const bad = await runCli(['queue', 'list', '--config', join(folder, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("storage: 'mysql://nowhere' is not a storage Chaperone knows");
    expect((await runCli(['queue', 'purge', '--config', config])).code).toBe(2);
    expect((await runCli(['queue', 'release', '--config', config])).code).toBe(2);
  });
});
