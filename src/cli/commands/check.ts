// `chaperone check [--config FILE] [--rules DIR] [--to ADDRESS] [--format text|json] FILE... | -`
// Screens .eml messages, documents (Word, Excel, PowerPoint, OpenDocument, PDF) or plain-text files as the relay would,
// and reports each finding.
// Exit 0: nothing flagged; 1: something tagged or held; 2: an error (missing file, bad config or rule file).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { classify, parseDocument, parseMime, type MessageInput, type RecipientClass } from '../../classifier/index.js';
import { partSources } from '../../classifier/extract-parts.js';
import { chooseConfigFile } from '../../config/config-file.js';
import { loadSetup } from '../../config/load-rules.js';
import type { Config } from '../../config/schema.js';
import { jsonReport, textReport, type CheckedFile } from '../output/check-report.js';
import { describeError, UsageError } from '../output/cli-error.js';
import { palette } from '../output/colour.js';
import { timeRules, timingTable } from '../output/rule-timing.js';

const HELP = `Usage: chaperone check [options] FILE... | -

Screens messages (.eml), documents or plain-text files and reports what the relay would flag.
A file starting with mail headers is read as a MIME message; a Word, Excel, PowerPoint, OpenDocument or PDF
file (by its name) as a document attached to a message; anything else as the body of a message.
"-" reads standard input.

Options:
  --config FILE     chaperone.yaml to use (organisation, rules, thresholds, directory, policy);
                    default: $CHAPERONE_CONFIG, else built-in defaults
  --rules DIR       screen with the rule packs in DIR instead of the shipped ones
  --to ADDRESS      screen as mail to ADDRESS (its class comes from the config's directory domains);
                    default: as mail to a pupil, the strictest
  --format FORMAT   text (default) or json
  -h, --help        show this help

Exit status: 0 nothing flagged, 1 something tagged or held, 2 an error.
TIMING=1 also prints the time each rule took (on standard error).`;

/** How much of the start of a file is looked at to decide whether it is a MIME message. */
const HEADER_SNIFF_CHARS = 4096;

const MAIL_HEADERS =
  /^(from|to|cc|subject|date|message-id|mime-version|content-type|received|return-path|reply-to|delivered-to|x-[\w-]+):/im;

export async function run(args: string[]): Promise<number> {
  try {
    return await check(args);
  } catch (error) {
    console.error(describeError('check', error));
    return 2;
  }
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      rules: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not "${values.format}"`);
  }
  if (positionals.length === 0) throw new UsageError(`no files to check\n\n${HELP}`);
  const configFile = chooseConfigFile(values.config, 'defaults').file;
  const { config, rules } = await loadSetup({ configFile, rulesDir: values.rules });
  for (const warning of rules.warnings) console.error(`chaperone check: warning: ${warning}`);
  const recipientClass = values.to === undefined ? 'pupil' : recipientClassOf(values.to, config);
  if (values.to !== undefined && configFile === undefined) {
    console.error(
      `chaperone check: note: without --config there is no directory, so ${values.to} counts as ${recipientClass} mail`,
    );
  }
  const policy = config.policy[recipientClass];

  const classifyOptions = {
    recipientClass,
    organisation: config.organisation,
    thresholds: config.thresholds,
    categories: policy.categories,
  };
  const checked: CheckedFile[] = [];
  const inputs: MessageInput[] = [];
  let failed = false;
  for (const file of positionals) {
    let raw: Buffer;
    try {
      raw = file === '-' ? await readStdin() : await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (error as Error).message;
      console.error(`chaperone check: cannot read ${file}: ${reason}`);
      failed = true;
      continue;
    }
    const name = file === '-' ? '<stdin>' : file;
    const document = file === '-' ? undefined : await parseDocument(raw, path.basename(file));
    const mime = document === undefined && looksLikeMime(raw);
    const message: MessageInput = document ?? (mime ? await parseMime(raw) : { text: raw.toString('utf8') });
    const screened = policy.mode !== 'off';
    const verdict = classify(screened ? message : {}, rules, classifyOptions);
    if (screened) inputs.push(message);
    checked.push({
      file: name,
      // A document's findings name their part too: its file name is screened as well as its text.
      mime: mime || document !== undefined,
      verdict,
      sources: partSources(message),
      recipientClass,
      ...(screened ? {} : { notScreened: `not screened: the policy for ${recipientClass} mail is "off"` }),
      ...(policy.mode === 'monitor' && verdict.action === 'hold'
        ? {
            note: `the policy for ${recipientClass} mail is "monitor": the relay would deliver this tagged, not hold it`,
          }
        : {}),
    });
  }

  if (values.format === 'json') console.log(JSON.stringify(jsonReport(checked), null, 2));
  else if (checked.length > 0) console.log(textReport(checked, palette(process.stdout)));
  if (process.env.TIMING === '1' && inputs.length > 0) {
    // On stderr, so that --format json stays one parseable document.
    console.error(`\n${timingTable(timeRules(rules, inputs, classifyOptions))}`);
  }
  if (failed) return 2;
  return checked.some((c) => c.verdict.action !== 'pass') ? 1 : 0;
}

/** The recipient class of an address by the config's directory domains; unknown domains are external. */
export function recipientClassOf(address: string, config: Config): RecipientClass {
  const domain = address.trim().toLowerCase().replace(/^.*@/, '').replace(/>$/, '');
  const has = (domains: readonly string[]): boolean => domains.some((d) => d.toLowerCase() === domain);
  if (has(config.directory.pupils.domains)) return 'pupil';
  if (has(config.directory.parents.domains)) return 'parent';
  if (has(config.directory.staff.domains)) return 'staff';
  return 'external';
}

/** A MIME message starts with header lines ("Name: value"), at least one of them a mail header. */
export function looksLikeMime(raw: Buffer): boolean {
  const head = raw.subarray(0, HEADER_SNIFF_CHARS).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = end === -1 ? head : head.slice(0, end);
  const lines = block.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length === 0) return false;
  const headerish = lines.every((l) => /^[\x21-\x39\x3b-\x7e]+:/.test(l) || /^[ \t]/.test(l) || l.startsWith('From '));
  return headerish && MAIL_HEADERS.test(block);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
