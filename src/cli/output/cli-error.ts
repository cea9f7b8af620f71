// Turns an error into what the CLI prints: a user's mistake (bad config, bad rule file, missing input) as its
// message alone; anything else, our fault, with its stack so it can be reported.

import { formatLocated, RuleFileError } from '../../classifier/rules/rule-file-error.js';
import { ConfigError } from '../../config/load.js';
import { displayPath } from './colour.js';

/** A mistake in how the command was called or what it was given; exit code 2, message only. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function describeError(command: string, error: unknown): string {
  if (error instanceof RuleFileError) {
    return `chaperone ${command}: ${formatLocated(displayPath(error.file), error.line, error.column, error.problem, error.snippet)}`;
  }
  if (error instanceof ConfigError || error instanceof UsageError) return `chaperone ${command}: ${error.message}`;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    return `chaperone ${command}: ${(error as Error).message} (see chaperone ${command} --help)`;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `chaperone ${command}: internal error (please report it):\n${detail}`;
}
