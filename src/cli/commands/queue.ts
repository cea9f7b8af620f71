// `chaperone queue list | show ID | release ID | reject ID | escalate ID | retry ID`: the hold queue from a terminal.
// Every view and decision is audited as `cli:<login name>` (and who ran it through sudo): held mail is sensitive
// personal data about children.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { CATEGORIES, type Category } from '../../classifier/types.js';
import { chooseConfigFile, CONFIG_ENV } from '../../config/config-file.js';
import { ConfigError, loadConfig, type LoadedConfig } from '../../config/load.js';
import { createUpstream } from '../../gateway/create-upstream.js';
import {
  AlreadyDecidedError,
  DecisionRefusedError,
  escalateHold,
  redeliverHold,
  rejectHold,
  releaseHold,
  type DecisionDeps,
  type ReleaseOutcome,
} from '../../gateway/decisions.js';
import {
  HOLD_STATES,
  StateConflictError,
  type HeldItem,
  type HoldState,
  type HoldStore,
  type StoredAuditEntry,
} from '../../gateway/hold-store.js';
import { parseHoldId } from '../../gateway/ids.js';
import { SchemaTooNewError } from '../../gateway/migrations/migration.js';
import { openStore, redact, StorageSettingError, StoreUnavailableError } from '../../gateway/open-store.js';

const HELP = `Usage: chaperone queue <command> [ID] [options]

Commands:
  list              held messages, newest first (by default those awaiting a decision: held and escalated)
  show ID           one message: sender, recipients, what was flagged and why, decision, delivery, audit trail
  release ID        release the message and deliver it to its recipients (--reason optional)
  reject ID         reject the message: it is never delivered (--reason required)
  escalate ID       pass the message to a senior colleague to decide (--reason required)
  retry ID          deliver a released message again after its delivery failed

Options:
  --config FILE     chaperone.yaml to use (default: $CHAPERONE_CONFIG, else the sample config/default.yaml)
  --format FORMAT   text (default) or json
  --reason TEXT     why, for the record (release, reject, escalate)
  --state STATE     list only held, escalated, released or rejected messages (repeatable), or all
  --category CAT    list only messages with findings in contact-details, personal-content or suggestive
  --sender TEXT     list only messages whose sender's address contains TEXT
  --limit N         list at most N messages (default 100)
  -h, --help        show this help

Viewing and deciding are recorded in the audit log as cli:<your login name>, or cli:<you> (as <account>) when you
run it through sudo -u <account>.
Exit status: 0 done; 1 refused (no such message, already decided, reason too long) or not delivered;
2 a mistake in the command or the configuration.`;

const DEFAULT_LIST_LIMIT = 100;
/** Columns wider than this are cut with an ellipsis so the table stays readable in a terminal. */
const MAX_COLUMN = { from: 32, to: 36, subject: 48 };

/** A mistake in how the command was called: exit 2. */
class UsageError extends Error {}

/** A login name as sudo or doas reports it; anything else in the variable is ignored rather than recorded. */
const LOGIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}$/;

function loginName(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.LOGNAME;
  }
  return name && name !== '' ? name : `uid-${process.getuid?.() ?? 'unknown'}`;
}

/**
 * Who ran the command, as the audit log records it: `cli:<login name>`, or `cli:alice (as chaperone)` when alice ran
 * it through `sudo -u chaperone` (or doas). The account it ran as is always recorded too: SUDO_USER is what sudo
 * says, and anyone able to run as that account directly could set it.
 */
export function cliActor(env: NodeJS.ProcessEnv = process.env): string {
  const login = loginName();
  const person = (env.SUDO_USER ?? env.DOAS_USER ?? '').trim();
  if (person !== '' && person !== login && LOGIN_NAME.test(person)) return `cli:${person} (as ${login})`;
  return `cli:${login}`;
}

/**
 * Where a command-line user is, for the audit log's "from address": the SSH client's address when they logged in over
 * SSH, else `local` (a terminal on the server itself).
 */
export function cliRemoteAddress(): string {
  const ssh = (process.env.SSH_CLIENT ?? process.env.SSH_CONNECTION ?? '').trim().split(/\s+/)[0] ?? '';
  return /^[0-9A-Fa-f:.]{2,45}$/.test(ssh) ? ssh : 'local';
}

/**
 * The configuration `serve` would use: --config, CHAPERONE_CONFIG, or the installation's sample config/default.yaml.
 * Falling back to the sample is said on standard error: its database is not the school's, and a user added or a
 * message released there would not be where the administrator expects.
 */
export async function loadCliConfig(configFile: string | undefined, command = 'queue'): Promise<LoadedConfig> {
  const chosen = chooseConfigFile(configFile, 'sample');
  const loaded = await loadConfig(chosen.file);
  if (chosen.source === 'sample') {
    console.error(
      `chaperone ${command}: note: using the sample configuration ${chosen.file} (storage ${redact(loaded.config.storage)}) ` +
        `because neither --config nor ${CONFIG_ENV} names one`,
    );
  }
  return loaded;
}

/** Exit code and message for the errors a store command can meet; undefined for faults that are ours. */
export function describeFailure(command: string, error: unknown): { code: number; message: string } {
  const text = error instanceof Error ? error.message : String(error);
  if (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof StorageSettingError ||
    error instanceof StoreUnavailableError ||
    error instanceof SchemaTooNewError
  ) {
    return { code: 2, message: `chaperone ${command}: ${text}` };
  }
  if (error instanceof DecisionRefusedError) return { code: 1, message: `chaperone ${command}: ${text}` };
  if (error instanceof AlreadyDecidedError) {
    return { code: 1, message: `chaperone ${command}: ${error.message} Nothing was changed.` };
  }
  if (error instanceof StateConflictError) {
    return {
      code: 1,
      message: `chaperone ${command}: message ${error.holdId} is already ${error.actualState}: someone else decided first`,
    };
  }
  const detail = error instanceof Error ? (error.stack ?? text) : text;
  return { code: 2, message: `chaperone ${command}: internal error (please report it):\n${detail}` };
}

export async function run(args: string[]): Promise<number> {
  try {
    return await queue(args);
  } catch (error) {
    const failure = describeFailure('queue', error);
    console.error(failure.message);
    return failure.code;
  }
}

interface QueueOptions {
  config?: string;
  format: 'text' | 'json';
  reason?: string;
  states: HoldState[];
  category?: Category;
  sender?: string;
  limit: number;
}

function options(args: string[]): { command?: string; id?: string; options: QueueOptions; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        format: { type: 'string', default: 'text' },
        reason: { type: 'string' },
        state: { type: 'string', multiple: true },
        category: { type: 'string' },
        sender: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not "${values.format}"`);
  }
  let states: HoldState[] = ['held', 'escalated'];
  if (values.state !== undefined) {
    if (values.state.includes('all')) states = [...HOLD_STATES];
    else {
      for (const state of values.state) {
        if (!(HOLD_STATES as readonly string[]).includes(state)) {
          throw new UsageError(`--state must be one of ${HOLD_STATES.join(', ')} or all, not "${state}"`);
        }
      }
      states = values.state as HoldState[];
    }
  }
  if (values.category !== undefined && !(CATEGORIES as readonly string[]).includes(values.category)) {
    throw new UsageError(`--category must be one of ${CATEGORIES.join(', ')}, not "${values.category}"`);
  }
  let limit = DEFAULT_LIST_LIMIT;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(`--limit must be a whole number above 0, not "${values.limit}"`);
  }
  const [command, id, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected '${extra.join(' ')}'\n\n${HELP}`);
  const result: QueueOptions = { format: values.format, states, limit };
  if (values.config !== undefined) result.config = values.config;
  if (values.reason !== undefined) result.reason = values.reason;
  if (values.category !== undefined) result.category = values.category as Category;
  if (values.sender !== undefined) result.sender = values.sender;
  return {
    ...(command === undefined ? {} : { command }),
    ...(id === undefined ? {} : { id }),
    options: result,
    help: values.help === true,
  };
}

async function queue(args: string[]): Promise<number> {
  const { command, id, options: opts, help } = options(args);
  if (help) {
    console.log(HELP);
    return 0;
  }
  if (command === undefined) throw new UsageError(`say what to do with the queue\n\n${HELP}`);
  const needsId = ['show', 'release', 'reject', 'escalate', 'retry'];
  if (command !== 'list' && !needsId.includes(command))
    throw new UsageError(`unknown queue command '${command}'\n\n${HELP}`);
  if (command === 'list' && id !== undefined) throw new UsageError(`'queue list' takes no id\n\n${HELP}`);
  if (needsId.includes(command) && id === undefined) throw new UsageError(`'queue ${command}' needs the message id`);
  if (opts.reason !== undefined && !['release', 'reject', 'escalate'].includes(command)) {
    throw new UsageError(`--reason goes with release, reject or escalate, not '${command}'`);
  }

  if ((command === 'reject' || command === 'escalate') && (opts.reason === undefined || opts.reason.trim() === '')) {
    throw new UsageError(`'queue ${command}' needs --reason "..." : the reason goes on the record`);
  }

  const loaded = await loadCliConfig(opts.config);
  const store = await openStore(loaded.config.storage);
  try {
    const actor = cliActor();
    if (command === 'list') return await list(store, opts, actor);
    const holdId = parseHoldId(id!) ?? id!.trim();
    if (command === 'show') return await show(store, holdId, opts, actor);
    return await decideFromCli(store, loaded, command, holdId, opts, actor);
  } finally {
    await store.close();
  }
}

async function list(store: HoldStore, opts: QueueOptions, actor: string): Promise<number> {
  const filter = {
    states: opts.states,
    limit: opts.limit,
    ...(opts.category ? { category: opts.category } : {}),
    ...(opts.sender ? { sender: opts.sender } : {}),
  };
  const [items, total] = await Promise.all([store.listHolds(filter), store.countHolds(filter)]);
  await store.appendAudit({
    at: new Date(),
    actor,
    action: 'queue.listed',
    remoteAddress: cliRemoteAddress(),
    detail: {
      states: opts.states,
      ...(opts.category ? { category: opts.category } : {}),
      ...(opts.sender ? { sender: opts.sender } : {}),
      shown: items.length,
    },
  });
  if (opts.format === 'json') {
    console.log(JSON.stringify(items.map(listEntry), null, 2));
    return 0;
  }
  if (items.length === 0) {
    console.log(
      `No messages are ${opts.states.join(' or ')}${opts.category || opts.sender ? ' with those filters' : ''}.`,
    );
    return 0;
  }
  console.log(terminalSafe(table(items)));
  if (total > items.length) console.log(`\nShowing the newest ${items.length} of ${total}; use --limit to see more.`);
  return 0;
}

/** The shape `queue list --format json` prints for each message. */
export function listEntry(item: HeldItem) {
  return {
    id: item.id,
    state: item.state,
    from: item.envelope.mailFrom,
    to: item.recipients.map((r) => r.address),
    subject: item.subject,
    categories: item.categories,
    score: item.score,
    receivedAt: item.receivedAt.toISOString(),
  };
}

/**
 * Held mail is written by outsiders: control characters (a terminal escape could rewrite the screen) and bidi
 * overrides (which can make text read backwards) are shown as '?' rather than acted on by the terminal.
 */
function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

function cut(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}\u2026`;
}

/** Local time to the minute, e.g. 2025-03-03 09:00: what a DSL reads at a glance. */
function localTime(date: Date, seconds = false): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}${seconds ? `:${pad(date.getSeconds())}` : ''}`;
  return `${day} ${time}`;
}

function table(items: HeldItem[]): string {
  const header = ['ID', 'RECEIVED', 'STATE', 'FROM', 'TO', 'CATEGORIES', 'SCORE', 'SUBJECT'];
  const rows = items.map((item) => {
    const [first, ...others] = item.recipients.map((r) => r.address);
    const to = first === undefined ? '' : others.length === 0 ? first : `${first} +${others.length}`;
    return [
      item.id,
      localTime(item.receivedAt),
      item.state,
      cut(item.envelope.mailFrom, MAX_COLUMN.from),
      cut(to, MAX_COLUMN.to),
      item.categories.join(',') || (item.reason === 'flagged' ? '-' : item.reason),
      String(item.score),
      cut(item.subject || '(no subject)', MAX_COLUMN.subject),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : i === 6 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const STATE_TEXT: Record<HoldState, string> = {
  held: 'held, awaiting a decision',
  escalated: 'escalated, awaiting a senior decision',
  released: 'released',
  rejected: 'rejected, never delivered',
};

const REASON_TEXT: Record<HeldItem['reason'], string> = {
  flagged: 'flagged by the rules',
  unreadable: 'the message could not be read, so it was held to be safe',
  'screening-failed': 'screening failed, so it was held to be safe',
};

async function show(store: HoldStore, id: string, opts: QueueOptions, actor: string): Promise<number> {
  const item = await store.getHold(id);
  if (item === undefined) throw new DecisionRefusedError('not-found', id, `No held message has the id ${id}.`);
  await store.appendAudit({
    at: new Date(),
    actor,
    action: 'hold.viewed',
    holdId: item.id,
    remoteAddress: cliRemoteAddress(),
    detail: { via: 'cli' },
  });
  const audit = await store.listAudit({ holdId: item.id, limit: 500 });
  if (opts.format === 'json') {
    const { verdict, ...rest } = item;
    console.log(
      JSON.stringify(
        {
          ...rest,
          findings: verdict.findings,
          problems: verdict.problems,
          action: verdict.action,
          audit: [...audit].reverse(),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  console.log(terminalSafe(describeItem(item, [...audit].reverse())));
  return 0;
}

function describeItem(item: HeldItem, audit: StoredAuditEntry[]): string {
  const lines: string[] = [];
  const field = (label: string, value: string) => lines.push(`  ${`${label}:`.padEnd(12)} ${value}`);
  lines.push(`Message ${item.id}`);
  field('State', STATE_TEXT[item.state]);
  field('Received', `${localTime(item.receivedAt, true)} (${item.receivedAt.toISOString()})`);
  field('Why held', REASON_TEXT[item.reason]);
  field('Score', `${item.score} (${item.severity} severity)`);
  field('From', item.from || '(none)');
  field('Sender', item.envelope.mailFrom + (item.envelope.authUser ? ` (signed in as ${item.envelope.authUser})` : ''));
  if (item.envelope.remoteAddress)
    field(
      'Sent from',
      item.envelope.remoteAddress + (item.envelope.clientHostname ? ` (${item.envelope.clientHostname})` : ''),
    );
  field('Subject', item.subject || '(no subject)');
  field('Size', `${item.size} bytes`);
  lines.push('', 'Recipients:');
  for (const r of item.recipients) lines.push(`  ${r.address} (${r.class})`);
  const { findings, problems } = item.verdict;
  lines.push('', findings.length === 0 ? 'Findings: none' : 'Findings:');
  findings.forEach((f, index) => {
    lines.push(`  ${index + 1}. ${f.rule}  [${f.category}, ${f.severity}, in the ${f.part}]`);
    lines.push(
      `     "${cut(f.text, 200)}"${f.normalised && f.normalised !== f.text ? `  (read as "${cut(f.normalised, 80)}")` : ''}`,
    );
    if (f.explain) lines.push(`     ${f.explain}`);
    if (f.guidance) lines.push(`     Guidance: ${f.guidance}`);
  });
  if (problems.length > 0) {
    lines.push('', 'Problems reading the message:');
    for (const p of problems) lines.push(`  - ${p}`);
  }
  lines.push('');
  if (item.decidedBy !== undefined && item.decidedAt !== undefined) {
    lines.push(
      `Decision: ${item.state} by ${item.decidedBy} at ${localTime(item.decidedAt, true)}${item.decisionReason ? `: "${item.decisionReason}"` : ''}`,
    );
  } else lines.push('Decision: none yet');
  if (item.delivery) {
    const outcome =
      item.delivery.status === 'delivered' ? 'delivered' : 'FAILED (retry with `chaperone queue retry ID`)';
    lines.push(`Delivery: ${outcome} at ${localTime(item.delivery.at, true)}: ${item.delivery.response}`);
  } else if (item.state === 'released') lines.push('Delivery: not recorded yet');
  lines.push('', 'Audit trail:');
  for (const entry of audit) {
    const decision = ['hold.released', 'hold.rejected', 'hold.escalated'].includes(entry.action);
    const reason = decision && typeof entry.detail?.reason === 'string' ? `: "${entry.detail.reason}"` : '';
    const where = entry.remoteAddress ? ` from ${entry.remoteAddress}` : '';
    lines.push(`  ${localTime(entry.at, true)}  ${entry.action.padEnd(20)} ${entry.actor}${where}${reason}`);
  }
  return lines.join('\n');
}

async function decideFromCli(
  store: HoldStore,
  loaded: LoadedConfig,
  command: string,
  id: string,
  opts: QueueOptions,
  actor: string,
): Promise<number> {
  const { config } = loaded;
  const upstream = createUpstream({
    upstream: config.upstream,
    upstreamOptions: config.upstreamOptions,
    hostname: config.smtp.hostname,
    baseDir: loaded.dir,
  });
  const deps: DecisionDeps = { store, upstream };
  const request = {
    id,
    actor,
    remoteAddress: cliRemoteAddress(),
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  };
  try {
    if (command === 'reject' || command === 'escalate') {
      const item = await (command === 'reject' ? rejectHold : escalateHold)(deps, request);
      if (opts.format === 'json') console.log(JSON.stringify(decisionEntry(item), null, 2));
      else console.log(`${command === 'reject' ? 'Rejected' : 'Escalated'} ${item.id}.`);
      return 0;
    }
    const outcome: ReleaseOutcome = await (command === 'release' ? releaseHold : redeliverHold)(deps, request);
    if (opts.format === 'json') console.log(JSON.stringify(decisionEntry(outcome.item), null, 2));
    else if (outcome.delivery.status === 'delivered') {
      const count = outcome.item.envelope.rcptTo.length;
      console.log(
        `${command === 'release' ? 'Released' : 'Delivered'} ${outcome.item.id}: delivered to ${count} recipient${count === 1 ? '' : 's'} (${outcome.delivery.response}).`,
      );
    } else {
      console.error(
        `${command === 'release' ? 'Released' : 'Tried again to deliver'} ${outcome.item.id}, but delivery failed: ${outcome.delivery.response}\n` +
          `It stays released and is kept; try again with: chaperone queue retry ${outcome.item.id}`,
      );
    }
    return outcome.delivery.status === 'delivered' ? 0 : 1;
  } finally {
    await upstream.close();
  }
}

function decisionEntry(item: HeldItem) {
  return {
    id: item.id,
    state: item.state,
    decidedBy: item.decidedBy,
    decidedAt: item.decidedAt?.toISOString(),
    reason: item.decisionReason,
    delivery: item.delivery ? { ...item.delivery, at: item.delivery.at.toISOString() } : undefined,
  };
}
