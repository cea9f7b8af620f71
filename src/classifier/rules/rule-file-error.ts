// The error for a mistake in a rule pack that its author can fix: it names the file, line and column and quotes the line.

export class RuleFileError extends Error {
  override readonly name = 'RuleFileError';

  constructor(
    readonly file: string,
    /** 1-based; 0 when the mistake has no single place (e.g. an unreadable file). */
    readonly line: number,
    readonly column: number,
    readonly problem: string,
    /** The offending source line, when known. */
    readonly snippet?: string,
  ) {
    super(formatLocated(file, line, column, problem, snippet));
  }
}

export function formatLocated(file: string, line: number, column: number, problem: string, snippet?: string): string {
  const where = line > 0 ? `${file}:${line}:${column}` : file;
  if (snippet === undefined) return `${where}: ${problem}`;
  const caret = ' '.repeat(Math.max(0, column - 1)) + '^';
  return `${where}: ${problem}\n    ${snippet}\n    ${caret}`;
}
