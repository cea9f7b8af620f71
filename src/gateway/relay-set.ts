// Loads everything a reload replaces at once: config, compiled rules (on the screener), recipient directory, policy and envelope rules.
// Either the whole set loads or none of it does, so a bad edit never leaves the relay half updated.
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { loadConfig } from '../config/load.js';
import { shippedRulesDir } from '../config/rule-packs.js';
import { envelopeRules } from './envelope-check.js';
import type { ListenerState } from './smtp-listener.js';
import { loadDirectory } from './recipient-directory.js';
import type { RelayState } from './relay-message.js';
import type { Screener } from './screener.js';

export interface RelaySet {
  config: Config;
  configFile: string;
  relay: RelayState;
  listener: ListenerState;
  ruleCount: number;
  /** Files and folders whose change means a reload: the config, the rule folders and the directory CSVs. */
  watched: string[];
}

export { installationRoot } from '../config/config-file.js';

/**
 * Loads a set; its rules are compiled by `screener` last, so nothing can fail after they are on the threads.
 * `loaded` is the config when the caller has just read it (at start, to set up the screener), so it is read once.
 */
export async function loadRelaySet(configFile: string, screener: Screener, loaded?: Config): Promise<RelaySet> {
  const file = resolve(configFile);
  const config = loaded ?? (await loadConfig(file)).config;
  const directory = await loadDirectory(config.directory);
  const envelope = envelopeRules(config);
  const ruleFolders = config.rules.dirs ?? [shippedRulesDir()];
  const watched = [
    file,
    ...ruleFolders,
    ...(config.rules.local === undefined ? [] : [config.rules.local]),
    ...directory.files,
  ];
  const rules = await screener.load(config);
  return {
    config,
    configFile: file,
    ruleCount: rules.rules.length,
    watched,
    relay: {
      hostname: config.smtp.hostname,
      envelope,
      directory,
      policy: config.policy,
      screen: rules,
    },
    listener: { envelope, users: config.smtp.auth?.users ?? [] },
  };
}
