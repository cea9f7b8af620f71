// Screens messages on worker threads, so the SMTP sessions on the main thread never wait behind the classifier and the
// classifier gets a core of its own. Each thread compiles every current rule set. A thread that crashes, or has a
// message in hand for longer than screening.timeoutSeconds, is replaced: the message it was on (or every message
// past its time) is held, never passed, and the other messages it had are screened again on the new thread.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { installationRoot } from '../config/config-file.js';
import type { Config } from '../config/schema.js';
import { RuleFileError } from '../classifier/rules/rule-file-error.js';
import type { MessagePolicy } from './policy.js';
import { unscreenedProblem, type ScreeningInput, type ScreenResult } from './screen-result.js';
import { screeningInput, type Screener, type ScreeningRules } from './screener.js';
import type { FromScreeningThread, ToScreeningThread } from './screening-messages.js';

/** How often, at most, the watchdog looks for a thread that has stopped finishing messages (4 times per timeout). */
const WATCHDOG_INTERVAL_MS = 1000;
/**
 * A thread's V8 heap limits. The old space allows the biggest message the gate admits (32 MB of MIME, several times
 * that while mailparser reads it); the small young space keeps the thread's resident memory low (measured: the
 * default lets a busy thread grow ~30 MB more, at no gain in speed).
 */
const THREAD_OLD_SPACE_MB = 256;
const THREAD_YOUNG_SPACE_MB = 8;
/** Threads that die before loading their rules this many times in a row are not started again for a while. */
const MAX_FAILED_STARTS = 3;
const RESTART_PAUSE_MS = 10_000;

export interface ScreeningThreadOptions {
  threads: number;
  timeoutSeconds: number;
  /** Told when a thread is replaced and why (for the log). */
  onReplaced?(reason: string): void;
}

interface RuleSetOnThreads {
  generation: number;
  input: ScreeningInput;
  /** Messages screened or queued with this set; a retired set is dropped from the threads once this is 0. */
  inUse: number;
  retired: boolean;
}

interface QueuedMessage {
  id: number;
  /** When it was last given to a thread: its screening time counts from here (or from the thread's start). */
  sentAt: number;
  raw: Buffer;
  policy: MessagePolicy;
  set: RuleSetOnThreads;
  resolve(result: ScreenResult): void;
  reject(error: Error): void;
}

interface PendingLoad {
  resolve(reply: Extract<FromScreeningThread, { type: 'loaded' }>): void;
  reject(error: Error): void;
}

interface ScreeningThread {
  worker: Worker;
  /** In the order they were sent: the thread works through them in that order. */
  inFlight: Map<number, QueuedMessage>;
  loads: Map<number, PendingLoad>;
  /**
   * When the thread first answered a load (0 before): one that dies before that failed to start, and starting (loading
   * the classifier, compiling the rules) is not screening, so no message's time counts before it.
   */
  startedAt: number;
  gone: boolean;
}

/** The worker script: next to this module once built; from dist/ when this module runs from source (vitest). */
function workerScript(): URL {
  const beside = new URL('./screening-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = path.join(installationRoot(), 'dist', 'src', 'gateway', 'screening-worker.js');
  if (existsSync(built)) return pathToFileURL(built);
  throw new Error(`cannot find the screening thread's script (${fileURLToPath(beside)}); run npm run build`);
}

function loadError(reply: Extract<FromScreeningThread, { type: 'load-failed' }>): Error {
  const fault = reply.ruleFile;
  if (fault === undefined) return new Error(reply.message);
  return new RuleFileError(fault.file, fault.line, fault.column, fault.problem, fault.snippet);
}

export function startScreeningThreads(options: ScreeningThreadOptions): Screener {
  const timeoutMs = options.timeoutSeconds * 1000;
  const script = workerScript();
  const threads: ScreeningThread[] = [];
  const sets = new Map<number, RuleSetOnThreads>();
  const setOf = new WeakMap<ScreeningRules, RuleSetOnThreads>();
  /** The newest set loaded. */
  let current: RuleSetOnThreads | undefined;
  let nextGeneration = 1;
  let nextMessage = 1;
  let failedStarts = 0;
  let pausedUntil = 0;
  let closed = false;

  function post(thread: ScreeningThread, message: ToScreeningThread): void {
    thread.worker.postMessage(message);
  }

  function send(thread: ScreeningThread, message: QueuedMessage): void {
    message.sentAt = Date.now();
    thread.inFlight.set(message.id, message);
    // Cloned, not transferred: transferring a fresh copy cost ~1.7 times as much as cloning the Buffer (measured with
    // 3 KB messages), and a Buffer that is a view of Node's 8 KB pool only clones that pool along with it.
    post(thread, {
      type: 'screen',
      id: message.id,
      generation: message.set.generation,
      raw: message.raw,
      policy: message.policy,
    });
  }

  function leastBusy(): ScreeningThread {
    let best = threads[0]!;
    for (const thread of threads) if (thread.inFlight.size < best.inFlight.size) best = thread;
    return best;
  }

  function release(set: RuleSetOnThreads): void {
    set.inUse--;
    if (set.retired && set.inUse === 0) {
      sets.delete(set.generation);
      for (const thread of threads) post(thread, { type: 'retire', generation: set.generation });
    }
  }

  /** No new message uses the set; it is freed now, or by the last message still using it. */
  function retireSet(set: RuleSetOnThreads): void {
    set.retired = true;
    set.inUse++;
    release(set);
  }

  function finish(message: QueuedMessage, result: ScreenResult): void {
    release(message.set);
    message.resolve(result);
  }

  function onReply(thread: ScreeningThread, reply: FromScreeningThread): void {
    if (reply.type === 'screened') {
      const message = thread.inFlight.get(reply.id);
      if (message === undefined) return;
      thread.inFlight.delete(reply.id);
      finish(message, reply.result);
      return;
    }
    if (thread.startedAt === 0) thread.startedAt = Date.now();
    failedStarts = 0;
    const load = thread.loads.get(reply.generation);
    if (load === undefined) return;
    thread.loads.delete(reply.generation);
    if (reply.type === 'loaded') load.resolve(reply);
    else load.reject(loadError(reply));
  }

  function startThread(): ScreeningThread {
    const worker = new Worker(script, {
      name: 'chaperone-screening',
      resourceLimits: { maxOldGenerationSizeMb: THREAD_OLD_SPACE_MB, maxYoungGenerationSizeMb: THREAD_YOUNG_SPACE_MB },
    });
    const thread: ScreeningThread = {
      worker,
      inFlight: new Map(),
      loads: new Map(),
      startedAt: 0,
      gone: false,
    };
    worker.on('message', (reply: FromScreeningThread) => onReply(thread, reply));
    worker.on('error', (error) => replace(thread, `the screening thread failed: ${error.message}`, 'crash'));
    worker.on('exit', (code) => replace(thread, `the screening thread stopped (exit code ${code})`, 'crash'));
    for (const set of sets.values()) post(thread, { type: 'load', generation: set.generation, input: set.input });
    return thread;
  }

  /**
   * Takes a crashed or stuck thread out, holds `culprits` (by default the message it was on: the first it was given),
   * and gives the rest to a new thread.
   */
  function replace(
    thread: ScreeningThread,
    reason: string,
    kind: 'crash' | 'timeout',
    culprits?: readonly QueuedMessage[],
  ): void {
    if (thread.gone || closed) return;
    thread.gone = true;
    threads.splice(threads.indexOf(thread), 1);
    thread.worker.removeAllListeners('message');
    void thread.worker.terminate();
    options.onReplaced?.(reason);
    if (thread.startedAt === 0) failedStarts++;
    const failure = new Error(reason);
    for (const load of thread.loads.values()) load.reject(failure);

    const inFlight = [...thread.inFlight.values()];
    const held = culprits ?? inFlight.slice(0, 1);
    const problem =
      kind === 'timeout'
        ? `Screening took longer than ${options.timeoutSeconds} seconds, so the message was held for a person to read`
        : 'Screening failed with an internal error, so the message was held to be safe';
    for (const message of held) finish(message, unscreenedProblem(problem, reason));
    if (failedStarts >= MAX_FAILED_STARTS) pausedUntil = Date.now() + RESTART_PAUSE_MS;
    refill();
    for (const message of inFlight) if (!held.includes(message)) dispatch(message);
  }

  /** Starts threads up to the configured number, unless they keep failing to start. */
  function refill(): void {
    if (closed || Date.now() < pausedUntil) return;
    while (threads.length < options.threads) threads.push(startThread());
  }

  function dispatch(message: QueuedMessage): void {
    refill();
    if (threads.length === 0) {
      release(message.set);
      message.reject(new Error('the screening threads keep failing to start'));
      return;
    }
    send(leastBusy(), message);
  }

  // Each message has its own time: a thread interleaves messages whose reading waits on something (a PDF's pages), so
  // one that yields can run on while the others finish, and "no message finished lately" would never be true of it.
  const watchdog = setInterval(
    () => {
      const now = Date.now();
      for (const thread of [...threads]) {
        if (thread.startedAt === 0) continue;
        const overdue = [...thread.inFlight.values()].filter(
          (message) => now - Math.max(message.sentAt, thread.startedAt) > timeoutMs,
        );
        if (overdue.length > 0) {
          replace(thread, `a message took longer than ${options.timeoutSeconds} seconds to screen`, 'timeout', overdue);
        }
      }
    },
    Math.min(WATCHDOG_INTERVAL_MS, timeoutMs / 4),
  );
  watchdog.unref();

  refill();

  return {
    async load(config: Config): Promise<ScreeningRules> {
      const input = await screeningInput(config);
      refill();
      if (threads.length === 0) throw new Error('the screening threads keep failing to start');
      const set: RuleSetOnThreads = { generation: nextGeneration++, input, inUse: 0, retired: false };
      sets.set(set.generation, set);
      const replies = threads.map(
        (thread) =>
          new Promise<Extract<FromScreeningThread, { type: 'loaded' }>>((resolve, reject) => {
            thread.loads.set(set.generation, { resolve, reject });
            post(thread, { type: 'load', generation: set.generation, input });
          }),
      );
      let loaded: Extract<FromScreeningThread, { type: 'loaded' }>;
      try {
        [loaded] = (await Promise.all(replies)) as [Extract<FromScreeningThread, { type: 'loaded' }>];
      } catch (error) {
        retireSet(set);
        throw error;
      }
      const rules: ScreeningRules = { rules: loaded.rules, warnings: loaded.warnings };
      setOf.set(rules, set);
      current = set;
      return rules;
    },

    screen(raw: Buffer, policy: MessagePolicy, rules: ScreeningRules): Promise<ScreenResult> {
      const given = setOf.get(rules);
      if (given === undefined || closed) {
        return Promise.reject(new Error(closed ? 'screening has stopped' : 'screened with a rule set it did not load'));
      }
      // A message that waited (for the screening gate) past a reload whose old set is already freed gets the new set.
      const set = sets.has(given.generation) ? given : current;
      if (set === undefined) return Promise.reject(new Error('no rule set is loaded'));
      set.inUse++;
      return new Promise<ScreenResult>((resolve, reject) => {
        dispatch({ id: nextMessage++, sentAt: 0, raw, policy, set, resolve, reject });
      });
    },

    retire(rules: ScreeningRules): void {
      const set = setOf.get(rules);
      if (set !== undefined && !set.retired) retireSet(set);
    },

    async close(): Promise<void> {
      closed = true;
      clearInterval(watchdog);
      const stopping = threads.splice(0);
      for (const thread of stopping) {
        thread.gone = true;
        for (const message of thread.inFlight.values()) message.reject(new Error('screening has stopped'));
        for (const load of thread.loads.values()) load.reject(new Error('screening has stopped'));
      }
      await Promise.all(stopping.map((thread) => thread.worker.terminate()));
    },
  };
}
