// Which chaperone.yaml a command uses: --config, else the CHAPERONE_CONFIG environment variable, else (for the
// commands that need a store) the sample config/default.yaml of the installation. One rule for every command, so
// `users add` cannot quietly write to a different database from the one `serve` runs on.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFIG_ENV = 'CHAPERONE_CONFIG';

/** How far up from this module package.json is looked for (src/config or dist/src/config). */
const MAX_LEVELS_UP = 6;

export interface ChosenConfig {
  /** Absolute path; undefined when the command runs on built-in defaults. */
  file: string | undefined;
  /** Where the choice came from: --config, CHAPERONE_CONFIG, the sample, or none (defaults). */
  source: 'option' | 'environment' | 'sample' | 'defaults';
}

/** The folder holding Chaperone's package.json (the shipped rules/ and config/ sit there), from src/ or dist/src/. */
export function installationRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < MAX_LEVELS_UP; i++) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'chaperone') return folder;
      } catch {
        // not ours; keep looking upwards
      }
    }
    folder = dirname(folder);
  }
  throw new Error(
    'cannot find the Chaperone installation folder (package.json) above ' + fileURLToPath(import.meta.url),
  );
}

/** The sample school's configuration shipped with the installation (what `npm start` runs). */
export function sampleConfigFile(): string {
  return join(installationRoot(), 'config', 'default.yaml');
}

/**
 * The config file for a command. `otherwise` is what a command falls back to with neither --config nor
 * CHAPERONE_CONFIG: the sample (serve, queue, users) or built-in defaults (check, rules).
 */
export function chooseConfigFile(
  option: string | undefined,
  otherwise: 'sample' | 'defaults',
  env: NodeJS.ProcessEnv = process.env,
): ChosenConfig {
  if (option !== undefined && option !== '') return { file: resolve(option), source: 'option' };
  const fromEnv = env[CONFIG_ENV]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return { file: resolve(fromEnv), source: 'environment' };
  return otherwise === 'sample'
    ? { file: sampleConfigFile(), source: 'sample' }
    : { file: undefined, source: 'defaults' };
}
