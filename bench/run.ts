// `npm run bench`: runs every benchmark module that exists (classifier, corpus, relay), prints their summaries
// and writes the results to bench/results/latest.json and a dated copy. `node dist/bench/run.js classifier`
// runs only the named ones.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './stats.js';

const BENCHMARKS = ['classifier', 'corpus', 'relay'] as const;

interface BenchModule {
  run(): Promise<BenchResult>;
}

/** The repository root: the nearest folder above this file with a package.json (works from dist/bench too). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root above bench/run');
    dir = parent;
  }
  return dir;
}

async function load(name: string): Promise<BenchModule | undefined> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (!existsSync(path.join(here, `${name}.js`)) && !existsSync(path.join(here, `${name}.ts`))) return undefined;
  return (await import(`./${name}.js`)) as BenchModule;
}

async function earlierResults(dir: string): Promise<(BenchResult & { measuredAt?: string })[]> {
  try {
    const earlier = JSON.parse(await readFile(path.join(dir, 'latest.json'), 'utf8')) as { results?: BenchResult[] };
    return Array.isArray(earlier.results) ? earlier.results : [];
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const results: BenchResult[] = [];
  const failures: { name: string; error: string }[] = [];
  for (const name of BENCHMARKS) {
    if (only.length > 0 && !only.includes(name)) continue;
    const bench = await load(name);
    if (!bench) {
      console.log(`bench: ${name}: not present, skipped`);
      continue;
    }
    console.log(`bench: ${name} ...`);
    try {
      const result = await bench.run();
      results.push(result);
      for (const line of result.summary) console.log(`  ${line}`);
    } catch (error) {
      failures.push({ name, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      console.error(`bench: ${name} failed: ${String(error)}`);
    }
  }
  const dir = path.join(repoRoot(), 'bench', 'results');
  const date = new Date().toISOString();
  const fresh = results.map((result) => ({ ...result, measuredAt: date }));
  const record = {
    date,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
    // A run of some benchmarks (`node dist/bench/run.js classifier`) keeps the others' last results.
    results: [...(await earlierResults(dir)).filter((r) => !fresh.some((f) => f.name === r.name)), ...fresh],
    failures,
  };
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(record, null, 2)}\n`;
  await writeFile(path.join(dir, 'latest.json'), json);
  await writeFile(path.join(dir, `${record.date.slice(0, 19).replace(/:/g, '-')}.json`), json);
  console.log(`bench: results in ${path.relative(process.cwd(), path.join(dir, 'latest.json'))}`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
