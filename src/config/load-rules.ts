// Reads the rule packs a configuration names (the shipped folder, or rules.dirs, plus rules.local) and compiles them.

import path from 'node:path';
import { compileRules, type CompiledRules } from '../classifier/index.js';
import { loadConfig } from './load.js';
import { readRulePacks } from './rule-packs.js';
import type { Config } from './schema.js';

/** Compiles the shipped packs (rules.dirs, default the installation's rules/) with rules.local merged over them. */
export async function loadRules(config: Config): Promise<CompiledRules> {
  const { shipped, local } = await readRulePacks(config);
  return compileRules(shipped, { local });
}

/** What the CLI commands share: the config (or defaults) and its rules, optionally from another rules folder. */
export async function loadSetup(options: { configFile?: string; rulesDir?: string }): Promise<{
  config: Config;
  rules: CompiledRules;
}> {
  const { config } = await loadConfig(options.configFile);
  const withRules =
    options.rulesDir === undefined
      ? config
      : { ...config, rules: { ...config.rules, dirs: [path.resolve(options.rulesDir)] } };
  return { config: withRules, rules: await loadRules(withRules) };
}
