// Dispatches `chaperone <command>` to the module that implements it.

export interface Command {
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, string> = {
  check: 'Screen messages or text files and report findings (exit 1 when any is flagged)',
  rules: 'Work with rule packs: `rules test` runs every rule example, `rules list` lists rules',
  eval: 'Measure detection on a labelled corpus (precision, recall, false holds)',
  serve: 'Run the SMTP relay and the review app',
  queue: 'List, show, release, reject or escalate held messages',
  users: 'Add, list and change review-app users',
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(8)} ${text}`);
  return [
    'Usage: chaperone <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `chaperone <command> --help` for its options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    console.log(pkg.version);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    console.error(`chaperone: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = (await import(`./commands/${name}.js`)) as Command;
  return command.run(rest);
}
