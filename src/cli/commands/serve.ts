// `chaperone serve [--config FILE]`: runs the SMTP relay, the review app and its scheduler until SIGTERM or SIGINT.
import { chooseConfigFile } from '../../config/config-file.js';
import { serve } from '../../gateway/serve.js';

const USAGE = `Usage: chaperone serve [--config FILE] [--no-watch] [--no-review] [--no-scheduler]

Runs the SMTP relay (smtp.listen), the review app (review.listen) and its scheduler.
Without --config it uses the file named by the CHAPERONE_CONFIG environment variable, else config/default.yaml of
the installation: a sample school, SQLite under ./data, mail delivered to the folder ./data/outbox.

  -c, --config FILE   the chaperone.yaml to run with
      --no-watch      do not reload when the config, rule or directory files change (SIGHUP still reloads)
      --no-review     do not run the review app (for a relay-only instance; another instance serves the app)
      --no-scheduler  do not run the scheduled jobs (notices, digest, overdue reminders, redelivery, retention);
                      instances sharing one PostgreSQL queue may all run them: each run is claimed once
  -h, --help          this help

Signals: SIGHUP reloads the configuration, rules and directory (a few settings, such as smtp.listen and
review.listen, need a restart: the log says which); SIGTERM or SIGINT finishes messages in progress and exits.`;

interface ServeArgs {
  configFile?: string;
  watch: boolean;
  review: boolean;
  scheduler: boolean;
  help: boolean;
}

function parseArgs(args: string[]): ServeArgs | string {
  const parsed: ServeArgs = { watch: true, review: true, scheduler: true, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-h' || arg === '--help') parsed.help = true;
    else if (arg === '--no-watch') parsed.watch = false;
    else if (arg === '--no-review') parsed.review = false;
    else if (arg === '--no-scheduler') parsed.scheduler = false;
    else if (arg === '-c' || arg === '--config') {
      const value = args[++i];
      if (value === undefined || value === '') return `${arg} needs a file name`;
      parsed.configFile = value;
    } else if (arg.startsWith('--config=')) parsed.configFile = arg.slice('--config='.length);
    else return `unknown option '${arg}'`;
  }
  return parsed;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    console.error(`chaperone serve: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const configFile = chooseConfigFile(parsed.configFile, 'sample').file!;
  // Signal handlers go in before the gateway starts: serve() logs 'started' before it returns, and a SIGHUP that
  // arrived in between would otherwise meet Node's default action and end the relay.
  let gateway: Awaited<ReturnType<typeof serve>> | undefined;
  let reloadWanted = false;
  let stopWanted: NodeJS.Signals | undefined;
  let stopping: ((signal: NodeJS.Signals) => void) | undefined;
  const onHangup = (): void => {
    if (gateway === undefined) reloadWanted = true;
    else void gateway.reload('SIGHUP');
  };
  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping === undefined) stopWanted = signal;
    else stopping(signal);
  };
  process.on('SIGHUP', onHangup);
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  const removeHandlers = (): void => {
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
    process.off('SIGHUP', onHangup);
  };

  try {
    gateway = await serve({
      configFile,
      watchFiles: parsed.watch,
      review: parsed.review,
      scheduler: parsed.scheduler,
    });
  } catch (error) {
    removeHandlers();
    console.error(`chaperone serve: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const running = gateway;

  return new Promise<number>((resolve) => {
    stopping = (signal: NodeJS.Signals): void => {
      removeHandlers();
      running.logger.info({ event: 'signal', signal }, `${signal}: shutting down`);
      running.stop().then(
        () => resolve(0),
        (error: unknown) => {
          running.logger.error({ error: error instanceof Error ? error.message : String(error) }, 'unclean shutdown');
          resolve(1);
        },
      );
    };
    if (stopWanted !== undefined) stopping(stopWanted);
    else if (reloadWanted) void running.reload('SIGHUP');
  });
}
