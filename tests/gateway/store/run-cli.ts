// Runs the built `chaperone` command as a child process (asynchronously, so servers in the test process keep serving).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/chaperone.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // Without the sudo variables, so the audit actor is `cli:<login name>` even when the tests run under sudo.
    const env = { ...process.env, SUDO_USER: undefined, DOAS_USER: undefined };
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
