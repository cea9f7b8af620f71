// The relay as a real process (`node bin/chaperone.js serve`): a hold survives SIGKILL right after the 250, SIGHUP
// reloads but keeps the last good rules when the new ones are broken, SIGTERM lets the message in flight finish, and
// a log output that breaks stops the logging, not the relay.
// Needs dist/ built (`npm test` builds first; locally run `npm run build`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/gateway/open-store.js';
import {
  ADDRESSES,
  RawClient,
  TEST_RULES,
  createSetup,
  rfc5322,
  sendMessage,
  startSink,
  waitFor,
  withoutChaperoneHeaders,
  type Sink,
  type TestSetup,
  idFromReply,
} from './harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'chaperone.js');

interface GatewayProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  port: number;
  exited: Promise<number | null>;
  stderr(): string;
}

async function spawnGateway(configFile: string, extraArgs: string[] = []): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', configFile, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let index: number;
    while ((index = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, index);
      pending = pending.slice(index + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ text: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  await waitFor(() => exitCode !== undefined || lines.some((l) => l.event === 'started'), 20_000).catch(
    () => undefined,
  );
  const started = lines.find((l) => l.event === 'started');
  if (started === undefined) {
    child.kill('SIGKILL');
    throw new Error(`the gateway did not start (exit ${String(exitCode)}): ${stderr}\n${JSON.stringify(lines)}`);
  }
  const port = Number(String(started.smtp).split(':').at(-1));
  return { child, lines, port, exited, stderr: () => stderr };
}

const FLAGGED = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Half term', 'Ring me on 07700 900123 over the holiday.');
const SECRET = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Between us', 'Remember this is our little secret.');

describe.skipIf(!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')))('relay process', () => {
  let setup: TestSetup | undefined;
  let sink: Sink | undefined;
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await sink?.close();
    setup?.cleanup();
    sink = undefined;
    setup = undefined;
  });

  it('keeps a held message across SIGKILL straight after the 250', async () => {
    sink = await startSink();
    setup = createSetup(sink.port, { log: { level: 'info' } });
    const first = await spawnGateway(setup.configFile);
    children.push(first.child);

    const replies = await sendMessage(first.port, ADDRESSES.staff, [ADDRESSES.pupil], FLAGGED);
    first.child.kill('SIGKILL');
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and held/);
    const id = idFromReply(replies.data);
    await first.exited;

    const second = await spawnGateway(setup.configFile);
    children.push(second.child);
    const store = await openStore(`sqlite:${setup.dbFile}`);
    try {
      const item = await store.getHold(id);
      expect(item?.state).toBe('held');
      // The message as sent, under the relay's own Received line.
      expect(withoutChaperoneHeaders((await store.getRaw(id))!).toString('utf8')).toBe(FLAGGED);
    } finally {
      await store.close();
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('reloads rules on SIGHUP, and keeps the last good rules when the new rule file is broken', async () => {
    sink = await startSink();
    setup = createSetup(sink.port, { log: { level: 'info' } });
    const gateway = await spawnGateway(setup.configFile, ['--no-watch']);
    children.push(gateway.child);
    const rulesFile = join(setup.dir, 'rules', 'test.yaml');

    writeFileSync(rulesFile, 'rules:\n  - id: broken\n    category: [not, a, category\n');
    gateway.child.kill('SIGHUP');
    await waitFor(() => gateway.lines.some((l) => l.event === 'reload-failed'), 20_000);
    const failure = gateway.lines.find((l) => l.event === 'reload-failed')!;
    expect(String(failure.error)).toContain('test.yaml');
    const stillHeld = await sendMessage(gateway.port, ADDRESSES.staff, [ADDRESSES.pupil], SECRET);
    expect(stillHeld.data).toMatch(/^250 2\.0\.0 Accepted and held/);

    // A good file without the secrecy rule: after SIGHUP the same message passes.
    writeFileSync(
      rulesFile,
      stringify({ ...TEST_RULES, rules: TEST_RULES.rules.filter((r) => r.id !== 'test-secret') }),
    );
    gateway.child.kill('SIGHUP');
    await waitFor(() => gateway.lines.some((l) => l.event === 'reload'), 20_000);
    const passed = await sendMessage(gateway.port, ADDRESSES.staff, [ADDRESSES.pupil], SECRET);
    expect(passed.data).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages).toHaveLength(1);

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });

  it('on SIGTERM stops accepting, lets the message in flight finish, and exits 0', async () => {
    sink = await startSink();
    sink.delayReplies(800);
    setup = createSetup(sink.port, { log: { level: 'info' } });
    const gateway = await spawnGateway(setup.configFile);
    children.push(gateway.child);

    const client = await RawClient.open(gateway.port);
    await client.reply();
    await client.command('EHLO client.test');
    await client.command(`MAIL FROM:<${ADDRESSES.staff}>`);
    await client.command(`RCPT TO:<${ADDRESSES.external}>`);
    const pending = client.data(rfc5322(ADDRESSES.staff, ADDRESSES.external, 'Slow', 'The upstream is slow today.'));
    await waitFor(() => sink!.messages.length > 0 || gateway.lines.length > 0);
    await new Promise((r) => setTimeout(r, 200));
    gateway.child.kill('SIGTERM');

    expect(await pending).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages).toHaveLength(1);
    expect(await client.command('NOOP')).toMatch(/^421 4\.3\.2 /);
    client.close();
    expect(await gateway.exited).toBe(0);
    await expect(RawClient.open(gateway.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('keeps relaying when its log output breaks, and says once on stderr that logging has stopped', async () => {
    sink = await startSink();
    setup = createSetup(sink.port, { log: { level: 'info' } });
    const gateway = await spawnGateway(setup.configFile);
    children.push(gateway.child);

    // The reader of the log pipe goes away, as a log shipper that died would: the relay's next log line meets EPIPE.
    gateway.child.stdout!.destroy();
    const first = await sendMessage(
      gateway.port,
      ADDRESSES.staff,
      [ADDRESSES.external],
      rfc5322(ADDRESSES.staff, ADDRESSES.external, 'One', 'First.'),
    );
    const second = await sendMessage(gateway.port, ADDRESSES.staff, [ADDRESSES.pupil], FLAGGED);

    expect(first.data).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(second.data).toMatch(/^250 2\.0\.0 Accepted and held/);
    expect(sink.messages).toHaveLength(1);
    expect(gateway.child.exitCode).toBeNull();
    await waitFor(() => gateway.stderr().includes('the log output failed'));
    expect(gateway.stderr().match(/the log output failed/g)).toHaveLength(1);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });
});
