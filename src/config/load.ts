// chaperone.yaml -> a validated, typed Config, with relative paths resolved against the config file's folder.
// Every mistake is a ConfigError naming the file, line:column, the key and the problem.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { didYouMean } from '../classifier/rules/did-you-mean.js';
import { positionOf, readYaml, type Position } from '../classifier/rules/yaml-source.js';
import { configSchema, type Config } from './schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly file: string,
    /** 1-based; 0 when unknown (e.g. the file cannot be read). */
    readonly line: number,
    readonly column: number,
    /** The key path, e.g. "smtp.maxSize"; empty for the whole file. */
    readonly key: string,
    readonly problem: string,
    readonly snippet?: string,
  ) {
    const where = line > 0 ? `${file}:${line}:${column}` : file;
    const keyText = key ? ` ${key}:` : '';
    const quote = snippet === undefined ? '' : `\n    ${snippet}\n    ${' '.repeat(Math.max(0, column - 1))}^`;
    super(`${where}:${keyText} ${problem}${quote}`);
  }
}

export interface LoadedConfig {
  config: Config;
  /** The file read, absolute; undefined when running on defaults. */
  file?: string;
  /** The folder relative paths were resolved against. */
  dir: string;
}

/** Reads and validates chaperone.yaml; with no file, every setting takes its default. */
export async function loadConfig(file?: string): Promise<LoadedConfig> {
  if (file === undefined) return parseConfig(undefined, '');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(file, 0, 0, '', `cannot read the configuration: ${reason}`);
  }
  return parseConfig(file, text);
}

/** Validates configuration text; `file` names it in errors and anchors relative paths (default: the working folder). */
export function parseConfig(file: string | undefined, text: string): LoadedConfig {
  const name = file ?? 'chaperone.yaml';
  const { source, problems } = readYaml(name, text);
  const first = problems[0];
  if (first) throw located(name, first.position, '', `YAML syntax: ${first.message}`);
  const raw = (source.doc.toJS({ maxAliasCount: 100 }) ?? {}) as unknown;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(
      name,
      1,
      1,
      '',
      'the configuration must be a mapping of keys (organisation:, rules:, smtp: ...)',
    );
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    // An unknown key is usually a misspelt known one, which zod also reports as missing: report the cause.
    const issues = parsed.error.issues;
    const issue = (issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]) as z.core.$ZodIssue;
    const key = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const unknown = issue.keys[0] as string;
      const known = keysAt(configSchema, issue.path);
      const fullKey = key ? `${key}.${unknown}` : unknown;
      const problem = `unknown key "${unknown}"${didYouMean(unknown, known)}`;
      throw located(name, positionOf(source, issue.path, unknown), fullKey, problem);
    }
    const value: unknown = source.doc.getIn(issue.path as unknown[]);
    throw located(name, positionOf(source, issue.path), key, describe(issue, value));
  }
  const dir = file === undefined ? process.cwd() : path.dirname(path.resolve(file));
  return { config: resolvePaths(parsed.data, dir), file: file === undefined ? undefined : path.resolve(file), dir };
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_value') {
    const values = issue.values.map(String);
    const hint = typeof value === 'string' ? didYouMean(value, values) : '';
    return `"${String(value)}" is not one of ${values.join(', ')}${hint}`;
  }
  if (issue.code === 'invalid_type' && value === undefined)
    return `missing (${issue.message.replace(/^Invalid input: /, '')})`;
  return issue.message.replace(/^Invalid input: /, '');
}

function located(file: string, at: Position, key: string, problem: string): ConfigError {
  return new ConfigError(file, at.line, at.column, key, problem, at.snippet);
}

interface SchemaDef {
  type: string;
  innerType?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
}

/** The keys the schema allows at a path, for "did you mean" (unwraps defaults, optionals and arrays). */
function keysAt(schema: { _zod: { def: unknown } }, keyPath: readonly PropertyKey[]): string[] {
  let def = schema._zod.def as SchemaDef;
  const unwrap = (): void => {
    while (def.innerType) def = def.innerType._zod.def;
  };
  unwrap();
  for (const step of keyPath) {
    if (def.type === 'array' && def.element) def = def.element._zod.def;
    else if (def.shape && typeof step === 'string' && def.shape[step]) def = def.shape[step]._zod.def;
    else return [];
    unwrap();
  }
  if (def.type === 'array' && def.element) {
    def = def.element._zod.def;
    unwrap();
  }
  return Object.keys(def.shape ?? {});
}

/** Every path-valued setting, made absolute against the config file's folder. */
function resolvePaths(config: Config, dir: string): Config {
  const abs = (p: string): string => path.resolve(dir, p);
  const prefixed = (value: string, prefix: string): string =>
    value.startsWith(prefix) && value !== `${prefix}:memory:` ? prefix + abs(value.slice(prefix.length)) : value;
  const classDir = (c: Config['directory']['pupils']) => ({ ...c, csv: c.csv.map(abs) });
  return {
    ...config,
    rules: {
      ...config.rules,
      ...(config.rules.dirs ? { dirs: config.rules.dirs.map(abs) } : {}),
      ...(config.rules.local !== undefined ? { local: abs(config.rules.local) } : {}),
    },
    smtp: {
      ...config.smtp,
      ...(config.smtp.tls ? { tls: { key: abs(config.smtp.tls.key), cert: abs(config.smtp.tls.cert) } } : {}),
    },
    directory: {
      pupils: classDir(config.directory.pupils),
      parents: classDir(config.directory.parents),
      staff: classDir(config.directory.staff),
    },
    upstream: prefixed(config.upstream, 'dir:'),
    storage: prefixed(config.storage, 'sqlite:'),
  };
}
