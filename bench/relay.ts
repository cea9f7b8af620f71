// Relay benchmark: messages/s and the time a client waits per message at 1 and 20 concurrent connections, for the
// relay screening every message and, in the same run, for the same relay with screening switched off (policy mode
// off: pure pass-through). The relay runs as its own process (`chaperone serve`), a real smtp-server sink on loopback
// is its upstream, and its peak RSS is read from /proc. Needs dist/ built (`npm run bench` builds first).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { stringify } from 'yaml';
import { schoolMails } from './school-mail.js';
import { distribution, round, type BenchResult, type Distribution } from './stats.js';

/** Messages per measured scenario (after WARMUP_MESSAGES untimed ones): enough for a stable p99 on a busy 2-core box. */
const MESSAGES_AT_ONE = 600;
const MESSAGES_AT_TWENTY = 3000;
const WARMUP_MESSAGES = 100;
const CONCURRENCIES = [1, 20] as const;
/** Runs per scenario; the best is kept (other work on a shared machine only ever slows a run down). */
const ROUNDS = 2;
/** The budget from the issue: screening may cost this share of pass-through throughput and this much p99 latency. */
const MAX_THROUGHPUT_COST = 0.2;
const MAX_ADDED_P99_MS = 5;
const MAX_PEAK_RSS_MB = 200;
/**
 * The V8 heap limit docs/deployment.md recommends for the relay (the systemd unit sets it). Without it V8 lets the
 * heap grow to ~110 MB under screening load although ~55 MB is live (peak RSS ~265 MB); with it ~185 MB, same speed.
 * Twenty concurrent 23 MB messages still fit: the screening gate and the buffered-bytes bound keep the heap small.
 */
const RELAY_NODE_FLAGS = ['--max-old-space-size=256'];

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

async function startSink(): Promise<{ port: number; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { port, received: () => received, close: () => new Promise((resolve) => server.close(() => resolve())) };
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
  stop(): Promise<void>;
}

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
  raws: readonly string[],
): Promise<{ seconds: number; waits: number[] }> {
  // Nagle off, as the relay does for its own upstream: otherwise nodemailer's separate end-of-data segment waits
  // 40 ms for a delayed ACK, and the benchmark would time the client's TCP stack rather than the relay.
  const getSocket = (_options: unknown, callback: (error: Error | null, s?: { connection: Socket }) => void): void => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    socket.once('error', (error) => callback(error));
    socket.once('connect', () => callback(null, { connection: socket }));
  };
  const transports = Array.from({ length: connections }, () =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      getSocket,
    }),
  );
  const waits: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    transports.map(async (transport) => {
      while (next < raws.length) {
        const raw = raws[next++]!;
        const sent = process.hrtime.bigint();
        const info = await transport.sendMail({ envelope: { from: SENDER, to: [RECIPIENT] }, raw });
        waits.push(Number(process.hrtime.bigint() - sent) / 1e6);
        if (!/^250 /.test(info.response)) throw new Error(`the relay answered ${info.response}`);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const transport of transports) transport.close();
  return { seconds, waits };
}

async function measure(relay: RelayProcess, scenario: Scenario): Promise<ScenarioResult> {
  const count = scenario.connections === 1 ? MESSAGES_AT_ONE : MESSAGES_AT_TWENTY;
  const raws = schoolMails(count + WARMUP_MESSAGES, scenario.flaggedShare).map((m) => m.raw);
  await drive(relay.port, scenario.connections, raws.slice(0, WARMUP_MESSAGES));
  const heldBefore = relay.held();
  const screenedBefore = relay.screenMs().length;
  const { seconds, waits } = await drive(relay.port, scenario.connections, raws.slice(WARMUP_MESSAGES));
  return {
    ...scenario,
    messages: count,
    seconds: round(seconds),
    messagesPerSecond: round(count / seconds, 1),
    wait: distribution(waits),
    held: relay.held() - heldBefore,
    screen: distribution(relay.screenMs().slice(screenedBefore)),
  };
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chaperone-bench-relay-'));
  const sink = await startSink();
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
  return { name: 'relay', metrics, summary, details: results };
}
