// `chaperone serve --no-review --no-scheduler`: an instance that runs the relay only (others sharing the queue serve
// the app and run the jobs), as a real process started from the built command.
import { spawn } from 'node:child_process';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../../cli/chaperone-process.js';
import { createSetup, waitFor, type TestSetup } from './harness.js';

/** Time allowed for a process to load rules and start on a busy two-core machine. */
const START_TIMEOUT_MS = 30_000;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('serve --no-review --no-scheduler', () => {
  let setup: TestSetup | undefined;
  beforeAll(() => ensureBuilt());
  afterEach(() => setup?.cleanup());

  it('runs the relay alone: no review app listening, no scheduler, and says so in the started line', async () => {
    setup = createSetup(1);
    // A fixed review port that must stay closed: pick a free one by listening and letting go.
    const reviewPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    setup.writeConfig({ review: { listen: `127.0.0.1:${reviewPort}` }, log: { level: 'info' } });
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/chaperone.js'),
        'serve',
        '--config',
        setup.configFile,
        '--no-review',
        '--no-scheduler',
        '--no-watch',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => out.includes('"event":"started"') || child.exitCode !== null, START_TIMEOUT_MS);
      const started = JSON.parse(out.split('\n').find((l) => l.includes('"event":"started"'))!) as Record<
        string,
        unknown
      >;
      expect(started.review).toBeUndefined();
      expect(started.scheduler).toBe(false);
      expect(await listening(Number(String(started.smtp).split(':').at(-1)))).toBe(true);
      expect(await listening(reviewPort)).toBe(false);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
