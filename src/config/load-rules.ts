// Reads the rule packs a configuration names (the shipped folder, or rules.dirs, plus rules.local) and compiles them.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRules, RuleFileError, type CompiledRules, type RulePackText } from '../classifier/index.js';
import { loadConfig } from './load.js';
import type { Config } from './schema.js';

const PACK_FILE = /\.ya?ml$/i;

/** How far up from this module the installation's rules/ folder is looked for (src/config or dist/src/config). */
const MAX_LEVELS_UP = 5;

/** The rules/ folder shipped with this installation, found from this module's own location. */
export function shippedRulesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const candidate = path.join(dir, 'rules');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the shipped rules/ folder above ${fileURLToPath(import.meta.url)}`);
}

/** Every .yaml/.yml file of a folder, in name order. A missing folder is the admin's mistake, so a RuleFileError. */
export async function readPackFolder(dir: string): Promise<RulePackText[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => PACK_FILE.test(n)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (error as Error).message;
    throw new RuleFileError(dir, 0, 0, `cannot read the rule folder: ${reason}`);
  }
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      return { file, text: await readFile(file, 'utf8') };
    }),
  );
}

/** Compiles the shipped packs (rules.dirs, default the installation's rules/) with rules.local merged over them. */
export async function loadRules(config: Config): Promise<CompiledRules> {
  const dirs = config.rules.dirs ?? [shippedRulesDir()];
  const shipped = (await Promise.all(dirs.map(readPackFolder))).flat();
  const local = config.rules.local === undefined ? [] : await readPackFolder(config.rules.local);
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
