// Finds and reads the rule pack files a configuration names (the shipped folder, or rules.dirs, plus rules.local).
// Reading only: compiling them is the classifier's job, done where the screening runs (see load-rules.ts and
// gateway/screening-worker.ts), so the relay's main thread never loads the NLP library.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RulePackText } from '../classifier/rules/compile.js';
import { RuleFileError } from '../classifier/rules/rule-file-error.js';
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

/** The pack texts a configuration screens with: the shipped packs and the local ones merged over them. */
export interface RulePackTexts {
  shipped: RulePackText[];
  local: RulePackText[];
}

export async function readRulePacks(config: Config): Promise<RulePackTexts> {
  const dirs = config.rules.dirs ?? [shippedRulesDir()];
  const shipped = (await Promise.all(dirs.map(readPackFolder))).flat();
  const local = config.rules.local === undefined ? [] : await readPackFolder(config.rules.local);
  return { shipped, local };
}
