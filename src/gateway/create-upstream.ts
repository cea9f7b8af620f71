// Picks the upstream from the `upstream` setting: smtp://, smtps:// or dir:PATH.
import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { createDirUpstream } from './dir-upstream.js';
import { createSmtpUpstream, parseSmtpUpstream } from './smtp-upstream.js';
import type { Upstream } from './upstream.js';

export interface UpstreamSettings {
  upstream: Config['upstream'];
  upstreamOptions: Config['upstreamOptions'];
  /** The name the relay gives in EHLO to the upstream. */
  hostname: string;
  /** Folder a relative dir: path is read from (the config file's folder); default the working directory. */
  baseDir?: string;
}

/** Throws an Error naming the `upstream` key when the setting cannot be used. */
export function createUpstream(settings: UpstreamSettings): Upstream {
  const { upstream } = settings;
  if (upstream.startsWith('dir:')) {
    const path = upstream.slice('dir:'.length);
    if (path === '') throw new Error("upstream: 'dir:' needs a folder, e.g. dir:./data/outbox");
    return createDirUpstream(isAbsolute(path) ? path : resolve(settings.baseDir ?? process.cwd(), path));
  }
  return createSmtpUpstream(parseSmtpUpstream(upstream), settings.upstreamOptions, settings.hostname);
}

/** Where a dir: upstream writes, for the startup log; undefined for SMTP upstreams. */
export function describeUpstream(upstream: string): string {
  if (upstream.startsWith('dir:')) return `folder ${upstream.slice(4)}`;
  try {
    const url = new URL(upstream);
    return `${url.protocol}//${url.host}`;
  } catch {
    return upstream;
  }
}
