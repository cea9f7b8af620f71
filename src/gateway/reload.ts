// Reloads the configuration, rules and directory on SIGHUP or when the config, a rule file or a directory CSV
// changes, without dropping connections. A reload that fails keeps the last good set and logs why.
import { watch, statSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from './logger.js';
import type { RelaySet } from './relay-set.js';

/** Editors save in several writes (and MIS exports arrive in chunks): wait for quiet before reloading. */
const SETTLE_MS = 300;

export interface Reloader {
  /** Loads a new set now; resolves true when it was applied, false when the last good set was kept. */
  reload(reason: string): Promise<boolean>;
  close(): void;
}

export interface ReloaderOptions {
  initial: RelaySet;
  load(configFile: string): Promise<RelaySet>;
  apply(next: RelaySet, previous: RelaySet): void;
  logger: Logger;
  /** Watch the files for changes (default true); SIGHUP and reload() work either way. */
  watchFiles?: boolean;
  settleMs?: number;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function startReloader(options: ReloaderOptions): Reloader {
  const { logger } = options;
  const settleMs = options.settleMs ?? SETTLE_MS;
  let current = options.initial;
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let again: string | undefined;
  let closed = false;

  function unwatch(): void {
    for (const watcher of watchers) watcher.close();
    watchers = [];
  }

  function scheduled(reason: string): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(reason), settleMs);
    timer.unref();
  }

  /** A file is watched through its folder, so a save by rename (most editors, atomic copies) is still seen. */
  function watchAll(paths: readonly string[]): void {
    unwatch();
    if (options.watchFiles === false) return;
    const byFolder = new Map<string, Set<string> | 'all'>();
    for (const path of paths) {
      if (isFolder(path)) {
        byFolder.set(path, 'all');
        continue;
      }
      const folder = dirname(path);
      const names = byFolder.get(folder);
      if (names === 'all') continue;
      byFolder.set(folder, (names ?? new Set<string>()).add(basename(path)));
    }
    for (const [folder, names] of byFolder) {
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => {
          const changed = name?.toString();
          if (names !== 'all' && (changed === undefined || !names.has(changed))) return;
          if (changed?.startsWith('.') && changed.endsWith('.tmp')) return;
          scheduled(`${folder}/${changed ?? ''} changed`);
        });
        watcher.on('error', (error) => logger.warn({ folder, error: error.message }, 'stopped watching a folder'));
        watchers.push(watcher);
      } catch (error) {
        logger.warn({ folder, error: (error as Error).message }, 'cannot watch for changes; use SIGHUP to reload');
      }
    }
  }

  async function runOnce(reason: string): Promise<boolean> {
    try {
      const next = await options.load(current.configFile);
      const previous = current;
      options.apply(next, previous);
      current = next;
      watchAll(next.watched);
      logger.info(
        {
          event: 'reload',
          reason,
          rules: next.ruleCount,
          directory: next.relay.directory.counts,
          directoryWarnings: next.relay.directory.warnings.length,
        },
        'reloaded the configuration, rules and directory',
      );
      return true;
    } catch (error) {
      logger.error(
        { event: 'reload-failed', reason, error: error instanceof Error ? error.message : String(error) },
        'reload failed; still using the last good configuration, rules and directory',
      );
      return false;
    }
  }

  function reload(reason: string): Promise<boolean> {
    if (running !== undefined) {
      // One reload at a time; a change during a reload gets one more reload after it.
      again = reason;
      return running;
    }
    running = runOnce(reason).finally(() => {
      running = undefined;
      if (again !== undefined && !closed) {
        const next = again;
        again = undefined;
        void reload(next);
      }
    });
    return running;
  }

  watchAll(current.watched);
  return {
    reload,
    close(): void {
      closed = true;
      clearTimeout(timer);
      unwatch();
    },
  };
}
