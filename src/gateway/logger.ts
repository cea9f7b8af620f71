// The relay's structured log: pino JSON lines on stdout, one per message decision. Never the message body.
import { pino, type Logger } from 'pino';
import type { Action, RecipientClass } from '../classifier/types.js';
import type { HoldReason } from './hold-store.js';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'chaperone' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? process.stdout,
  );
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

export function logMessageDecision(logger: Logger, record: MessageDecisionRecord): void {
  const failed = record.outcome === 'deferred' || record.outcome === 'refused' || record.outcome === 'not-stored';
  logger[failed ? 'warn' : 'info'](
    { event: 'message', ...record },
    `message ${record.id} ${record.action} ${record.outcome}`,
  );
}
