// The relay's structured log: pino JSON lines on stdout, one per message the relay decides on and one per DSL
// decision on a held message. Never the message body or subject.
import { pino, type Logger } from 'pino';
import type { Action, RecipientClass } from '../classifier/types.js';
import type { HoldReason } from './hold-store.js';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const output = destination ?? process.stdout;
  const logger = pino(
    {
      level,
      base: { service: 'chaperone' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    output,
  );
  keepRunningWhenOutputFails(output, logger);
  return logger;
}

/**
 * A log output that breaks (the pipe to a log shipper whose reader died, journald restarted: EPIPE) must not stop the
 * relay. Unhandled, the write error killed the process between the upstream's acceptance and the client's 250, so
 * the sender retried and the message went twice. Logging stops, and stderr says why once.
 */
function keepRunningWhenOutputFails(output: NodeJS.WritableStream, logger: Logger): void {
  // stderr can be the same broken pipe; what it cannot carry is lost, never fatal.
  if (process.stderr.listenerCount('error') === 0) process.stderr.on('error', () => undefined);
  output.on('error', (error: NodeJS.ErrnoException) => {
    if (logger.level === 'silent') return;
    logger.level = 'silent';
    process.stderr.write(
      `chaperone: the log output failed (${error.code ?? error.message}); mail keeps flowing, but nothing more is ` +
        'logged until the relay is restarted\n',
    );
  });
}

/** What the relay did with one message: exactly what the `message` log line carries. */
export interface MessageDecisionRecord {
  id: string;
  session: string;
  client: string;
  sender: string;
  recipients: { address: string; class: RecipientClass }[];
  mode: 'screen' | 'monitor' | 'off';
  action: Action;
  /** pass/tag: delivered (or why not); hold: stored. */
  outcome: 'delivered' | 'held' | 'deferred' | 'refused' | 'not-stored';
  reason?: HoldReason;
  score?: number;
  rules: string[];
  problems?: string[];
  size: number;
  timings: { screenMs: number; deliverMs?: number; storeMs?: number; totalMs: number };
  upstream?: string;
  reply: string;
}

/** A DSL's (or the command line's, or the scheduler's) decision on a held message: what the `decision` line carries. */
export interface HoldDecisionRecord {
  id: string;
  /** What was asked for. */
  action: 'release' | 'reject' | 'escalate' | 'retry';
  /** The reviewer's address, `cli:<login name>` or `system`. */
  actor: string;
  /** What happened: the new state, whether a release was delivered, or why nothing was done. */
  outcome: 'delivered' | 'delivery-failed' | 'rejected' | 'escalated' | 'already-decided' | 'refused';
  /** The state the message is in afterwards (or was already in). */
  state?: string;
  /** For `refused`: the refusal code (own-message, reason-required, not-found, ...). */
  refusal?: string;
  /** For deliveries: the upstream's reply, for a failure the reason. */
  upstream?: string;
}

/** One line per decision, beside the audit log entry: never the message, its subject or the reason given. */
export function logHoldDecision(logger: Logger, record: HoldDecisionRecord): void {
  const failed = record.outcome === 'delivery-failed';
  logger[failed ? 'warn' : 'info'](
    { event: 'decision', ...record },
    `hold ${record.id} ${record.action} by ${record.actor}: ${record.outcome}`,
  );
}

export function logMessageDecision(logger: Logger, record: MessageDecisionRecord): void {
  const failed = record.outcome === 'deferred' || record.outcome === 'refused' || record.outcome === 'not-stored';
  logger[failed ? 'warn' : 'info'](
    { event: 'message', ...record },
    `message ${record.id} ${record.action} ${record.outcome}`,
  );
}
