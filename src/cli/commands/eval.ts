// `chaperone eval`: screens the labelled corpus (and optional real-world sets), reports precision, recall and false
// holds beside the regex-only baseline, and exits 0 when the quality gate's thresholds are met, 1 when not, 2 on error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BodyChecksError } from '../../eval/baseline.js';
import { DatasetError, listDatasets } from '../../eval/datasets.js';
import { evaluate } from '../../eval/evaluate.js';
import { formatMarkdown, formatText, toJson } from '../../eval/format-report.js';
import { CorpusError } from '../../eval/load-corpus.js';
import { MimeBuildError } from '../../eval/build-mime.js';
import { progressBar } from '../../eval/progress.js';
import { describeError, UsageError } from '../output/cli-error.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
/** How far up from this module the installation's corpus/ folder is looked for (src/cli/commands or dist/src/cli/commands). */
const MAX_LEVELS_UP = 6;

/** corpus/ in the working folder when there is one, else the corpus shipped with this installation. */
function defaultCorpus(): string {
  if (existsSync('corpus')) return 'corpus';
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'corpus')))
      return path.join(dir, 'corpus');
    dir = path.dirname(dir);
  }
  return 'corpus';
}

const HELP = `Usage: chaperone eval [options]

Screens every message of a labelled corpus through the real pipeline and reports, per category, precision, recall,
F1 and support, the false-hold rate on clean mail, every miss and every false hold, and the time per message, beside a
regex-only baseline (Postfix-style body_checks). Exit 0 when the quality gate is met, 1 when not, 2 on error.

Options:
  --corpus DIR        the labelled corpus (default corpus/ here, else the installation's)
  --config FILE       the configuration to screen with (default <corpus>/chaperone.yaml)
  --rules DIR         screen with the rule packs in DIR instead of the configured ones
  --format FORMAT     text (default), json, or markdown (tables ready for the README)
  --dataset FILE      also evaluate a JSON Lines set { id, source, text, label, notes }; repeatable
  --shared DIR        also evaluate every .jsonl file in DIR (e.g. ../shared/data)
  --no-baseline       skip the regex-only comparison
  -h, --help          show this help

Real-world sets are reported apart from the corpus: each text is wrapped as the plain-text body of an e-mail from a
staff address to a pupil, and counted as flagged when it is held or tagged.`;

export async function run(args: string[]): Promise<number> {
  try {
    return await evalCommand(args);
  } catch (error) {
    if (
      error instanceof CorpusError ||
      error instanceof DatasetError ||
      error instanceof BodyChecksError ||
      error instanceof MimeBuildError
    ) {
      console.error(`chaperone eval: ${error.message}`);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(`chaperone eval: ${(error as Error).message}`);
      return 2;
    }
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`chaperone eval: ${error.message}\n\n${HELP}`);
      return 2;
    }
    console.error(describeError('eval', error));
    return 2;
  }
}

async function evalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      corpus: { type: 'string' },
      config: { type: 'string' },
      rules: { type: 'string' },
      format: { type: 'string', default: 'text' },
      dataset: { type: 'string', multiple: true, default: [] },
      shared: { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${HELP}`);
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be ${FORMATS.join(', ')}, not "${values.format}"`);

  const datasets = [...values.dataset];
  if (values.shared !== undefined) datasets.push(...(await listDatasets(values.shared)));

  let bar = progressBar('chaperone eval');
  let stage = '';
  const report = await evaluate({
    corpus: values.corpus ?? defaultCorpus(),
    config: values.config,
    rulesDir: values.rules,
    baseline: values['no-baseline'] ? false : undefined,
    datasets,
    onProgress: (name, done, total) => {
      if (name !== stage) {
        bar.done();
        bar = progressBar(`chaperone eval: ${name}`);
        stage = name;
      }
      bar.update(done, total);
    },
  });
  bar.done();

  if (format === 'json') console.log(JSON.stringify(toJson(report), null, 2));
  else if (format === 'markdown') process.stdout.write(formatMarkdown(report));
  else process.stdout.write(formatText(report));
  return report.evaluation.gate.passed ? 0 : 1;
}
