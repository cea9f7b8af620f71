// Relay benchmark: messages/s and the time a client waits per message at 1 and 20 concurrent connections, for the
// relay screening every message and, in the same run, for the same relay with screening switched off (policy mode
// off: pure pass-through). The relay runs as its own process (`chaperone serve`); its peak RSS and CPU are read from
// /proc. Needs dist/ built (`npm run bench` builds first).
// The clients and the upstream sink are lean (bench/smtp-load.ts, bench/smtp-sink.ts, in the manner of Postfix's
// smtp-source and smtp-sink): with nodemailer and smtp-server in their place this process burned ~0.2-0.27 ms of CPU
// per message, as much as the pass-through relay itself, so on a 2-core machine it took half the machine from the
// relay under test. The summary prints the CPU per message of both processes so readers see where it goes.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { schoolMails } from './school-mail.js';
import { encodeMessage, openSmtpLoadClient } from './smtp-load.js';
import { startSmtpSink } from './smtp-sink.js';
import { distribution, round, type BenchResult, type Distribution } from './stats.js';

/** Messages per measured scenario (after WARMUP_MESSAGES untimed ones): enough for a stable p99 on a busy 2-core box. */
const MESSAGES_AT_ONE = 600;
const MESSAGES_AT_TWENTY = 3000;
const WARMUP_MESSAGES = 100;
/**
 * Messages each relay screens (or passes) once after it starts, before any scenario is measured: V8 takes over a
 * thousand messages to finish optimising the classifier (measured: 1.36 ms a message for the first 100, ~0.3 ms from
 * about the 1,500th), and a relay runs for weeks, so its steady state is what a school gets.
 */
const STARTUP_WARMUP_MESSAGES = 2000;
const CONCURRENCIES = [1, 20] as const;
/** Runs per scenario; the best is kept (other work on a shared machine only ever slows a run down). */
const ROUNDS = 2;
/** The budget from the issue: screening may cost this share of pass-through throughput and this much p99 latency. */
const MAX_THROUGHPUT_COST = 0.2;
const MAX_ADDED_P99_MS = 5;
const MAX_PEAK_RSS_MB = 200;
/**
 * The V8 heap limits docs/deployment.md recommends for the relay's main thread (npm start and the systemd unit set
 * them; the screening thread sets its own, see src/gateway/screening-threads.ts). Without the old-space cap V8 let the
 * heap grow to twice what is live under load; with 4 MB semi-spaces instead of 16 the main thread's resident memory
 * is ~20 MB lower (measured: peak RSS 208 MB -> 185 MB with one screening thread) at no measurable cost in speed.
 */
const RELAY_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4'];

const SENDER = 'd.jones@oakfield.sch.uk';
const RECIPIENT = 'sam.taylor@pupils.oakfield.sch.uk';

interface Scenario {
  mode: 'screen' | 'off';
  connections: number;
  /** Share of messages with a flagged sentence (held when screening). */
  flaggedShare: number;
}

interface ScenarioResult extends Scenario {
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  wait: Distribution;
  held: number;
  /** Time the relay spent screening each message (from its log); the rest of the wait is SMTP, upstream and queueing. */
  screen: Distribution;
  /** CPU time per measured message: the relay process (all its threads), and this process (clients and sink). */
  relayCpuMsPerMessage: number;
  loadCpuMsPerMessage: number;
}

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root above bench/relay');
    dir = parent;
  }
  return dir;
}

function writeConfig(dir: string, mode: 'screen' | 'off', sinkPort: number): string {
  const file = path.join(dir, `relay-${mode}.yaml`);
  writeFileSync(
    file,
    stringify({
      // The school's own number is in every generated signature: a real deployment lists it too.
      organisation: { name: 'Oakfield Academy (bench)', domains: ['oakfield.sch.uk'], phones: ['0118 496 0000'] },
      smtp: { listen: '127.0.0.1:0', maxConnectionsPerClient: 100 },
      directory: { pupils: { domains: ['pupils.oakfield.sch.uk'] }, staff: { domains: ['oakfield.sch.uk'] } },
      policy: {
        pupil: { mode },
        parent: { mode },
      },
      upstream: `smtp://127.0.0.1:${sinkPort}`,
      storage: `sqlite:bench-${mode}.db`,
      review: { listen: '127.0.0.1:0' },
      notifications: { notifySender: false },
      log: { level: 'info' },
    }),
  );
  return file;
}

interface RelayProcess {
  child: ChildProcess;
  port: number;
  held(): number;
  /** Screening time per message as the relay logs it (parseMime + classify), since the relay started. */
  screenMs(): readonly number[];
  peakRssMb(): number;
  /** User plus system CPU seconds the relay has used since it started, all threads included. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Clock ticks per second, the unit of /proc/<pid>/stat's CPU times: 100 on every Linux build seen in practice. */
function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}
const CLOCK_TICKS = clockTicksPerSecond();

async function startRelay(configFile: string): Promise<RelayProcess> {
  const child = spawn(
    process.execPath,
    [...RELAY_NODE_FLAGS, path.join(repoRoot(), 'bin', 'chaperone.js'), 'serve', '--no-watch', '--config', configFile],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let pending = '';
  let held = 0;
  const screenMs: number[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the relay exited with ${String(code)} before starting`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let index: number;
      while ((index = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, index);
        pending = pending.slice(index + 1);
        if (line.includes('"event":"started"')) {
          resolve(Number(/"smtp":"[^"]*:(\d+)"/.exec(line)?.[1]));
        } else if (line.includes('"event":"message"')) {
          if (line.includes('"outcome":"held"')) held++;
          const screened = /"screenMs":([0-9.]+)/.exec(line);
          if (screened !== null) screenMs.push(Number(screened[1]));
        }
      }
    });
  });
  return {
    child,
    port,
    held: () => held,
    screenMs: () => screenMs,
    peakRssMb() {
      // VmHWM: the process's peak resident set size (Linux).
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
      return kb / 1024;
    },
    cpuSeconds() {
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat; counting after the ')' that closes the command
      // name (which may hold spaces), they are the 12th and 13th.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `connections` clients, each on its own reused connection, sending its share one message after another. */
async function drive(
  port: number,
  connections: number,
  messages: readonly Buffer[],
): Promise<{ seconds: number; waits: number[] }> {
  const envelope = { from: SENDER, to: [RECIPIENT] };
  const waits: number[] = [];
  let next = 0;
  // The clock starts before the connections open, as a client's first message would also wait for its connection.
  const started = process.hrtime.bigint();
  const clients = await Promise.all(Array.from({ length: connections }, () => openSmtpLoadClient(port)));
  await Promise.all(
    clients.map(async (client) => {
      while (next < messages.length) waits.push(await client.send(envelope, messages[next++]!));
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await Promise.all(clients.map((client) => client.quit()));
  return { seconds, waits };
}

async function measure(relay: RelayProcess, scenario: Scenario): Promise<ScenarioResult> {
  const count = scenario.connections === 1 ? MESSAGES_AT_ONE : MESSAGES_AT_TWENTY;
  // Encoded before the clock starts: making the mail is not the load generator's per-message cost.
  const messages = schoolMails(count + WARMUP_MESSAGES, scenario.flaggedShare).map((m) => encodeMessage(m.raw));
  await drive(relay.port, scenario.connections, messages.slice(0, WARMUP_MESSAGES));
  const heldBefore = relay.held();
  const screenedBefore = relay.screenMs().length;
  const relayCpuBefore = relay.cpuSeconds();
  const loadCpuBefore = process.cpuUsage();
  const { seconds, waits } = await drive(relay.port, scenario.connections, messages.slice(WARMUP_MESSAGES));
  const loadCpu = process.cpuUsage(loadCpuBefore);
  const relayCpuSeconds = relay.cpuSeconds() - relayCpuBefore;
  return {
    ...scenario,
    messages: count,
    seconds: round(seconds),
    messagesPerSecond: round(count / seconds, 1),
    wait: distribution(waits),
    held: relay.held() - heldBefore,
    screen: distribution(relay.screenMs().slice(screenedBefore)),
    relayCpuMsPerMessage: round((relayCpuSeconds * 1000) / count),
    loadCpuMsPerMessage: round((loadCpu.user + loadCpu.system) / 1000 / count),
  };
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chaperone-bench-relay-'));
  const sink = await startSmtpSink();
  const results: ScenarioResult[] = [];
  const peakRssMb: Record<string, number> = {};
  try {
    // Both relays run side by side and the measurements alternate, so load from anything else on the machine falls
    // on both alike; each scenario keeps its best of ROUNDS runs.
    const relays = {
      off: await startRelay(writeConfig(dir, 'off', sink.port)),
      screen: await startRelay(writeConfig(dir, 'screen', sink.port)),
    };
    try {
      const warmUp = schoolMails(STARTUP_WARMUP_MESSAGES, 0.15).map((m) => encodeMessage(m.raw));
      for (const relay of [relays.off, relays.screen]) await drive(relay.port, 20, warmUp);
      for (const connections of CONCURRENCIES) {
        for (const mode of ['off', 'screen'] as const) {
          let best: ScenarioResult | undefined;
          for (let i = 0; i < ROUNDS; i++) {
            const result = await measure(relays[mode], { mode, connections, flaggedShare: 0 });
            if (best === undefined || result.messagesPerSecond > best.messagesPerSecond) best = result;
          }
          results.push(best!);
        }
      }
      // The realistic mix: 15 % of messages carry a flagged sentence and are held (a durable SQLite commit each).
      results.push(await measure(relays.screen, { mode: 'screen', connections: 20, flaggedShare: 0.15 }));
      peakRssMb.off = round(relays.off.peakRssMb(), 1);
      peakRssMb.screen = round(relays.screen.peakRssMb(), 1);
    } finally {
      await relays.off.stop();
      await relays.screen.stop();
    }
  } finally {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const find = (mode: 'screen' | 'off', connections: number, flaggedShare = 0): ScenarioResult =>
    results.find((r) => r.mode === mode && r.connections === connections && r.flaggedShare === flaggedShare)!;
  const metrics: Record<string, number> = {};
  const summary: string[] = [];
  const cpuSplit: string[] = [];
  for (const connections of CONCURRENCIES) {
    const screened = find('screen', connections);
    const passThrough = find('off', connections);
    const throughputRatio = screened.messagesPerSecond / passThrough.messagesPerSecond;
    const addedP99 = screened.wait.p99Ms - passThrough.wait.p99Ms;
    metrics[`screenMessagesPerSecondAt${connections}`] = screened.messagesPerSecond;
    metrics[`passThroughMessagesPerSecondAt${connections}`] = passThrough.messagesPerSecond;
    metrics[`screenP50MsAt${connections}`] = round(screened.wait.p50Ms);
    metrics[`screenP99MsAt${connections}`] = round(screened.wait.p99Ms);
    metrics[`passThroughP50MsAt${connections}`] = round(passThrough.wait.p50Ms);
    metrics[`passThroughP99MsAt${connections}`] = round(passThrough.wait.p99Ms);
    metrics[`throughputRatioAt${connections}`] = round(throughputRatio);
    metrics[`addedP99MsAt${connections}`] = round(addedP99);
    metrics[`relayScreeningP50MsAt${connections}`] = round(screened.screen.p50Ms);
    metrics[`relayScreeningP99MsAt${connections}`] = round(screened.screen.p99Ms);
    metrics[`screenRelayCpuMsPerMessageAt${connections}`] = screened.relayCpuMsPerMessage;
    metrics[`passThroughRelayCpuMsPerMessageAt${connections}`] = passThrough.relayCpuMsPerMessage;
    metrics[`screenLoadCpuMsPerMessageAt${connections}`] = screened.loadCpuMsPerMessage;
    metrics[`passThroughLoadCpuMsPerMessageAt${connections}`] = passThrough.loadCpuMsPerMessage;
    cpuSplit.push(
      `${connections} connection${connections === 1 ? '' : 's'}: relay ${screened.relayCpuMsPerMessage} ms ` +
        `screening, ${passThrough.relayCpuMsPerMessage} ms pass-through; load generator and sink ` +
        `${screened.loadCpuMsPerMessage} ms, ${passThrough.loadCpuMsPerMessage} ms`,
    );
    summary.push(
      `${connections} connection${connections === 1 ? '' : 's'}: screening ${screened.messagesPerSecond} msg/s ` +
        `(p50 ${round(screened.wait.p50Ms, 2)} ms, p99 ${round(screened.wait.p99Ms, 2)} ms) vs pass-through ` +
        `${passThrough.messagesPerSecond} msg/s (p50 ${round(passThrough.wait.p50Ms, 2)} ms, p99 ${round(passThrough.wait.p99Ms, 2)} ms): ` +
        `${round(throughputRatio * 100, 1)} % of pass-through throughput, p99 ${addedP99 >= 0 ? '+' : ''}${round(addedP99, 2)} ms ` +
        `[budget: >= ${100 - MAX_THROUGHPUT_COST * 100} %, < +${MAX_ADDED_P99_MS} ms: ` +
        `${throughputRatio >= 1 - MAX_THROUGHPUT_COST && addedP99 < MAX_ADDED_P99_MS ? 'met' : 'MISSED'}]; ` +
        `screening itself p50 ${round(screened.screen.p50Ms, 2)} ms, p99 ${round(screened.screen.p99Ms, 2)} ms (relay log)`,
    );
  }
  const mixed = find('screen', 20, 0.15);
  metrics.mixedMessagesPerSecondAt20 = mixed.messagesPerSecond;
  metrics.mixedP99MsAt20 = round(mixed.wait.p99Ms);
  summary.push(
    `20 connections, 15 % flagged (${mixed.held} held): ${mixed.messagesPerSecond} msg/s, ` +
      `p50 ${round(mixed.wait.p50Ms, 2)} ms, p99 ${round(mixed.wait.p99Ms, 2)} ms`,
  );
  metrics.peakRssMbScreen = peakRssMb.screen ?? NaN;
  metrics.peakRssMbPassThrough = peakRssMb.off ?? NaN;
  summary.push(
    `peak RSS of the relay process: ${peakRssMb.screen} MB screening, ${peakRssMb.off} MB pass-through ` +
      `[budget < ${MAX_PEAK_RSS_MB} MB: ${(peakRssMb.screen ?? Infinity) < MAX_PEAK_RSS_MB ? 'met' : 'MISSED'}]`,
  );
  summary.push(`CPU per message (relay process / this bench process): ${cpuSplit.join('; ')}`);
  return { name: 'relay', metrics, summary, details: results };
}
