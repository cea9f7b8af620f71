// Runs the built CLI (bin/chaperone.js -> dist/) as a child process. `npm test` builds first; when run alone,
// the CLI test files rebuild dist/ if any source is newer than it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/chaperone.js');
const BUILT = path.join(ROOT, 'dist/src/cli/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const LOCK = path.join(ROOT, 'dist', '.cli-test-build.lock');
const LOCK_WAIT_MS = 120_000;

const fresh = (): boolean => existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestMtime(path.join(ROOT, 'src'));

/**
 * Builds dist/ when it is missing or older than src/ (tsc still emits when someone else's file has type errors).
 * Test files run in parallel, so one builds under a lock while the others wait for it.
 */
export function ensureBuilt(): void {
  if (fresh()) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`${LOCK} has been held for two minutes; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fresh()) build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function build(): void {
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch {
    // Type errors elsewhere do not stop tsc emitting; a missing dist/ shows up in the tests themselves.
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function chaperone(
  args: string[],
  options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
