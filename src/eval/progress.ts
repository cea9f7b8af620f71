// A one-line progress bar on stderr, drawn only when stderr is a terminal (never in CI logs or redirected output).
import type { WriteStream } from 'node:tty';

const BAR_WIDTH = 30;
/** Redraw at most this often: thousands of messages a second would otherwise flood the terminal. */
const REDRAW_MS = 80;

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const silent: Progress = { update: () => undefined, done: () => undefined };

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!(stream as WriteStream).isTTY) return silent;
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < REDRAW_MS) return;
      last = now;
      const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
