// `chaperone rules test` runs every rule's flag:/pass: examples; `chaperone rules list` lists the loaded rules.
// Both load the shipped packs (or --rules DIR) with the config's rules.local merged over them.

import { parseArgs } from 'node:util';
import { runAllExamples, type CompiledRules } from '../../classifier/index.js';
import { didYouMean } from '../../classifier/rules/did-you-mean.js';
import { chooseConfigFile } from '../../config/config-file.js';
import { loadSetup } from '../../config/load-rules.js';
import { describeError, UsageError } from '../output/cli-error.js';
import { palette } from '../output/colour.js';
import { exampleReport, listedRules, ruleTable } from '../output/rules-report.js';

const HELP = `Usage: chaperone rules <test|list> [options]

  test    run every rule's flag: and pass: examples; exit 1 if any fails
  list    list the loaded rules: id, category, severity, matcher kind, file

Options:
  --config FILE     chaperone.yaml (its rules.local packs are merged over the shipped ones);
                    default: $CHAPERONE_CONFIG, else none
  --rules DIR       use the rule packs in DIR instead of the shipped ones
  --rule ID         only this rule (repeatable): test one rule while writing it
  --format FORMAT   for list: text (default) or json
  -h, --help        show this help`;

export async function run(args: string[]): Promise<number> {
  try {
    return await rules(args);
  } catch (error) {
    console.error(describeError('rules', error));
    return 2;
  }
}

async function rules(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      rules: { type: 'string' },
      format: { type: 'string', default: 'text' },
      rule: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [action, ...extra] = positionals;
  if (values.help || action === 'help') {
    console.log(HELP);
    return 0;
  }
  if (action !== 'test' && action !== 'list') {
    throw new UsageError(
      `${action === undefined ? 'missing' : `unknown`} subcommand${action ? ` "${action}"` : ''}\n\n${HELP}`,
    );
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not "${values.format}"`);
  }
  const configFile = chooseConfigFile(values.config, 'defaults').file;
  const { config, rules: loaded } = await loadSetup({ configFile, rulesDir: values.rules });
  for (const warning of loaded.warnings) console.error(`chaperone rules: warning: ${warning}`);
  const compiled = onlyRules(loaded, values.rule);

  if (action === 'list') {
    const listed = listedRules(compiled);
    console.log(values.format === 'json' ? JSON.stringify(listed, null, 2) : ruleTable(listed));
    return 0;
  }
  const result = runAllExamples(compiled, { organisation: config.organisation });
  console.log(exampleReport(result, compiled, palette(process.stdout)));
  return result.failures.length > 0 ? 1 : 0;
}

/** The rules named with --rule (all when none is); an unknown id is a usage error with a suggestion. */
function onlyRules(rules: CompiledRules, ids: readonly string[] | undefined): CompiledRules {
  if (!ids || ids.length === 0) return rules;
  const known = rules.rules.map((r) => r.id);
  for (const id of ids) {
    if (!known.includes(id)) throw new UsageError(`no rule has the id "${id}"${didYouMean(id, known)}`);
  }
  return { ...rules, rules: rules.rules.filter((r) => ids.includes(r.id)) };
}
