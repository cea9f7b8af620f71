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
import { distribution, median, round, type BenchResult, type Distribution } from './stats.js';

/**
 * Messages per measured round (after WARMUP_MESSAGES untimed ones). Rounds are kept short so that the two relays'
 * rounds that are compared run seconds apart: load from other tenants of a shared host drifts over seconds, and on
 * this project's 2-core machine moved a single run's share by up to 30 points (measured: 46-94 % in one run of six
 * pairs), far more than any change worth measuring.
 */
const MESSAGES_AT_ONE = 400;
const MESSAGES_AT_TWENTY = 2000;
const WARMUP_MESSAGES = 100;
/**
 * Messages each relay screens (or passes) once after it starts, before any scenario is measured: V8 takes over a
 * thousand messages to finish optimising the classifier (measured: 1.36 ms a message for the first 100, ~0.3 ms from
 * about the 1,500th), and a relay runs for weeks, so its steady state is what a school gets.
 */
const STARTUP_WARMUP_MESSAGES = 2000;
const CONCURRENCIES = [1, 20] as const;
/**
 * Paired rounds per concurrency: each measures pass-through and screening back to back (which goes first alternates),
 * and the figures reported are medians over the rounds, the share of pass-through the median of the pairs' shares.
 * Odd, so the median is one round's figure.
 */
const ROUNDS = 9;
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

/** One paired round: pass-through and screening measured back to back at the same concurrency. */
interface PairedRound {
  off: ScenarioResult;
  screen: ScenarioResult;
}

/** The median over the rounds of one figure (nearest rank, so with ROUNDS odd it is one round's figure). */
function medianOver(rounds: readonly PairedRound[], figure: (round: PairedRound) => number): number {
  return median(rounds.map(figure));
}

async function pairedRounds(
  relays: Record<'off' | 'screen', RelayProcess>,
  connections: number,
): Promise<PairedRound[]> {
  const rounds: PairedRound[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Which relay goes first alternates, so neither is always measured just after the other warmed the caches.
    const order = i % 2 === 0 ? (['off', 'screen'] as const) : (['screen', 'off'] as const);
    const measured: Partial<PairedRound> = {};
    for (const mode of order) measured[mode] = await measure(relays[mode], { mode, connections, flaggedShare: 0 });
    rounds.push(measured as PairedRound);
  }
  return rounds;
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chaperone-bench-relay-'));
  const sink = await startSmtpSink();
  const paired = new Map<number, PairedRound[]>();
  let mixed: ScenarioResult | undefined;
  const peakRssMb: Record<string, number> = {};
  try {
    // Both relays run side by side and are measured in alternation, so load from anything else on the machine falls
    // on both alike.
    const relays = {
      off: await startRelay(writeConfig(dir, 'off', sink.port)),
      screen: await startRelay(writeConfig(dir, 'screen', sink.port)),
    };
    try {
      const warmUp = schoolMails(STARTUP_WARMUP_MESSAGES, 0.15).map((m) => encodeMessage(m.raw));
      for (const relay of [relays.off, relays.screen]) await drive(relay.port, 20, warmUp);
      for (const connections of CONCURRENCIES) paired.set(connections, await pairedRounds(relays, connections));
      // The realistic mix: 15 % of messages carry a flagged sentence and are held (a durable SQLite commit each).
      mixed = await measure(relays.screen, { mode: 'screen', connections: 20, flaggedShare: 0.15 });
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

  const metrics: Record<string, number> = {};
  const summary: string[] = [];
  const cpuSplit: string[] = [];
  for (const connections of CONCURRENCIES) {
    const rounds = paired.get(connections)!;
    const shares = rounds.map((r) => r.screen.messagesPerSecond / r.off.messagesPerSecond);
    const throughputRatio = median(shares);
    const addedP99 = medianOver(rounds, (r) => r.screen.wait.p99Ms - r.off.wait.p99Ms);
    const figures = {
      screenMessagesPerSecond: medianOver(rounds, (r) => r.screen.messagesPerSecond),
      passThroughMessagesPerSecond: medianOver(rounds, (r) => r.off.messagesPerSecond),
      screenP50Ms: medianOver(rounds, (r) => r.screen.wait.p50Ms),
      screenP99Ms: medianOver(rounds, (r) => r.screen.wait.p99Ms),
      passThroughP50Ms: medianOver(rounds, (r) => r.off.wait.p50Ms),
      passThroughP99Ms: medianOver(rounds, (r) => r.off.wait.p99Ms),
      relayScreeningP50Ms: medianOver(rounds, (r) => r.screen.screen.p50Ms),
      relayScreeningP99Ms: medianOver(rounds, (r) => r.screen.screen.p99Ms),
      screenRelayCpuMsPerMessage: medianOver(rounds, (r) => r.screen.relayCpuMsPerMessage),
      passThroughRelayCpuMsPerMessage: medianOver(rounds, (r) => r.off.relayCpuMsPerMessage),
      screenLoadCpuMsPerMessage: medianOver(rounds, (r) => r.screen.loadCpuMsPerMessage),
      passThroughLoadCpuMsPerMessage: medianOver(rounds, (r) => r.off.loadCpuMsPerMessage),
    };
    for (const [name, value] of Object.entries(figures)) metrics[`${name}At${connections}`] = round(value);
    metrics[`throughputRatioAt${connections}`] = round(throughputRatio);
    metrics[`throughputRatioLowestAt${connections}`] = round(Math.min(...shares));
    metrics[`throughputRatioHighestAt${connections}`] = round(Math.max(...shares));
    metrics[`addedP99MsAt${connections}`] = round(addedP99);
    const percent = (share: number): string => `${round(share * 100, 1)} %`;
    cpuSplit.push(
      `${connections} connection${connections === 1 ? '' : 's'}: relay ${round(figures.screenRelayCpuMsPerMessage)} ms ` +
        `screening, ${round(figures.passThroughRelayCpuMsPerMessage)} ms pass-through; load generator and sink ` +
        `${round(figures.screenLoadCpuMsPerMessage)} ms, ${round(figures.passThroughLoadCpuMsPerMessage)} ms`,
    );
    summary.push(
      `${connections} connection${connections === 1 ? '' : 's'} (median of ${ROUNDS} paired rounds): screening ` +
        `${round(figures.screenMessagesPerSecond, 1)} msg/s (p50 ${round(figures.screenP50Ms, 2)} ms, ` +
        `p99 ${round(figures.screenP99Ms, 2)} ms) vs pass-through ${round(figures.passThroughMessagesPerSecond, 1)} msg/s ` +
        `(p50 ${round(figures.passThroughP50Ms, 2)} ms, p99 ${round(figures.passThroughP99Ms, 2)} ms): ` +
        `${percent(throughputRatio)} of pass-through throughput (rounds ${percent(Math.min(...shares))} to ` +
        `${percent(Math.max(...shares))}), p99 ${addedP99 >= 0 ? '+' : ''}${round(addedP99, 2)} ms ` +
        `[budget: >= ${100 - MAX_THROUGHPUT_COST * 100} %, < +${MAX_ADDED_P99_MS} ms: ` +
        `${throughputRatio >= 1 - MAX_THROUGHPUT_COST && addedP99 < MAX_ADDED_P99_MS ? 'met' : 'MISSED'}]; ` +
        `screening itself p50 ${round(figures.relayScreeningP50Ms, 2)} ms, p99 ${round(figures.relayScreeningP99Ms, 2)} ms (relay log)`,
    );
  }
  metrics.mixedMessagesPerSecondAt20 = mixed!.messagesPerSecond;
  metrics.mixedP99MsAt20 = round(mixed!.wait.p99Ms);
  summary.push(
    `20 connections, 15 % flagged (${mixed!.held} held): ${mixed!.messagesPerSecond} msg/s, ` +
      `p50 ${round(mixed!.wait.p50Ms, 2)} ms, p99 ${round(mixed!.wait.p99Ms, 2)} ms`,
  );
  metrics.peakRssMbScreen = peakRssMb.screen ?? NaN;
  metrics.peakRssMbPassThrough = peakRssMb.off ?? NaN;
  summary.push(
    `peak RSS of the relay process: ${peakRssMb.screen} MB screening, ${peakRssMb.off} MB pass-through ` +
      `[budget < ${MAX_PEAK_RSS_MB} MB: ${(peakRssMb.screen ?? Infinity) < MAX_PEAK_RSS_MB ? 'met' : 'MISSED'}]`,
  );
  summary.push(`CPU per message, medians (relay process / this bench process): ${cpuSplit.join('; ')}`);
  const details = { rounds: Object.fromEntries(paired), mixed };
  return { name: 'relay', metrics, summary, details };
}
