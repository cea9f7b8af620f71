// One call for the CLI, the quality gate and the benchmark: load the corpus and the setup, screen, score, compare.
import path from 'node:path';
import { loadSetup } from '../config/load-rules.js';
import { loadBodyChecks, screenWithBodyChecks } from './baseline.js';
import { chaperoneScreener } from './chaperone-screener.js';
import { evaluateDataset, type DatasetResult } from './datasets.js';
import type { EvalReport } from './format-report.js';
import { loadCorpus } from './load-corpus.js';
import { evaluateBaseline, evaluateCorpus } from './run-eval.js';
import type { Screener } from './screen-outcome.js';

export interface EvaluateOptions {
  /** The corpus folder (corpus/<set>/...). */
  corpus: string;
  /** chaperone.yaml for the corpus; default <corpus>/chaperone.yaml. */
  config?: string;
  /** Screen with the packs of this folder instead of the configured ones. */
  rulesDir?: string;
  /** The regex-only table; default <corpus>/baseline/body_checks.pcre. Set false to skip the baseline. */
  baseline?: string | false;
  /** External JSON Lines sets to evaluate separately. */
  datasets?: readonly string[];
  onProgress?: (stage: string, done: number, total: number) => void;
}

export async function evaluate(options: EvaluateOptions): Promise<EvalReport> {
  const configFile = options.config ?? path.join(options.corpus, 'chaperone.yaml');
  const { config, rules } = await loadSetup({ configFile, rulesDir: options.rulesDir });
  const screen: Screener = chaperoneScreener(config, rules);
  const messages = await loadCorpus(options.corpus);
  const progress = (stage: string) => (done: number, total: number) => options.onProgress?.(stage, done, total);

  const evaluation = await evaluateCorpus(messages, screen, progress('corpus'));
  let baseline;
  if (options.baseline !== false) {
    const checks = await loadBodyChecks(options.baseline ?? path.join(options.corpus, 'baseline', 'body_checks.pcre'));
    baseline = await evaluateBaseline(messages, (raw) => screenWithBodyChecks(raw, checks), progress('regex baseline'));
  }
  const datasets: DatasetResult[] = [];
  for (const file of options.datasets ?? []) {
    datasets.push(await evaluateDataset(file, screen, progress(path.basename(file))));
  }
  return { corpus: options.corpus, evaluation, baseline, datasets };
}
