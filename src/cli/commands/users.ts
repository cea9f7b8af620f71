// `chaperone users ...`: who may sign in to the review app, and with which roles. Every change is audited.
import { parseArgs } from 'node:util';
import { ROLES, type HoldStore, type Role, type User } from '../../gateway/hold-store.js';
import { openStore } from '../../gateway/open-store.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../gateway/passwords.js';
import { cliActor, cliRemoteAddress, describeFailure, loadCliConfig } from './queue.js';

const HELP = `Usage: chaperone users <command> [EMAIL] [options]

Commands:
  add EMAIL --role ROLE [--role ROLE]   add a review-app user (asks for the password twice)
  list                                  list users, their roles and whether they can sign in
  set-roles EMAIL --role ROLE ...       replace a user's roles
  reset-password EMAIL                  set a new password (also clears a lock-out)
  disable EMAIL                         stop a user signing in (their history stays)
  enable EMAIL                          let a disabled user sign in again
  unlock EMAIL                          clear a lock-out after too many failed sign-ins
  hash                                  print a password hash for smtp.auth.users in chaperone.yaml

Roles: dsl (reviews and decides on held mail), admin (users and settings), auditor (read-only).

Options:
  --config FILE       chaperone.yaml to use (default: $CHAPERONE_CONFIG, else the sample config/default.yaml)
  --role ROLE         dsl, admin or auditor (repeatable)
  --password-stdin    read the password from the first line of standard input instead of asking
  --format FORMAT     text (default) or json, for list
  -h, --help          show this help

Passwords must be at least ${MIN_PASSWORD_LENGTH} characters. Changes are recorded in the audit log as
cli:<your login name>, or cli:<you> (as <account>) when you run it through sudo -u <account>.
Exit status: 0 done; 1 refused (no such user, user already exists); 2 a mistake in the command or configuration.`;

/** RFC 5321 caps an address at 254 characters; anything longer is a typo or an attack. */
const MAX_EMAIL_LENGTH = 254;
/** The most read from standard input for a password: one line, never a whole file piped in by mistake. */
const MAX_STDIN_BYTES = 64 * 1024;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

export async function run(args: string[]): Promise<number> {
  try {
    return await users(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`chaperone users: ${error.message}`);
      return 2;
    }
    if (error instanceof RefusedError) {
      console.error(`chaperone users: ${error.message}`);
      return 1;
    }
    const failure = describeFailure('users', error);
    console.error(failure.message);
    return failure.code;
  }
}

interface UsersArgs {
  command?: string;
  email?: string;
  config?: string;
  roles: Role[];
  passwordStdin: boolean;
  format: 'text' | 'json';
  help: boolean;
}

function usersArgs(args: string[]): UsersArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        role: { type: 'string', multiple: true },
        'password-stdin': { type: 'boolean' },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  const roles: Role[] = [];
  for (const role of values.role ?? []) {
    const name = role.trim().toLowerCase();
    if (!(ROLES as readonly string[]).includes(name)) {
      throw new UsageError(`--role must be one of ${ROLES.join(', ')}, not "${role}"`);
    }
    if (!roles.includes(name as Role)) roles.push(name as Role);
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not "${values.format}"`);
  }
  const [command, email, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected '${extra.join(' ')}'\n\n${HELP}`);
  return {
    ...(command === undefined ? {} : { command }),
    ...(email === undefined ? {} : { email: email.trim().toLowerCase() }),
    ...(values.config === undefined ? {} : { config: values.config }),
    roles,
    passwordStdin: values['password-stdin'] === true,
    format: values.format,
    help: values.help === true,
  };
}

const WITH_EMAIL = ['add', 'set-roles', 'reset-password', 'disable', 'enable', 'unlock'];

async function users(args: string[]): Promise<number> {
  const parsed = usersArgs(args);
  if (parsed.help) {
    console.log(HELP);
    return 0;
  }
  const { command, email } = parsed;
  if (command === undefined) throw new UsageError(`say what to do\n\n${HELP}`);
  if (command !== 'list' && command !== 'hash' && !WITH_EMAIL.includes(command)) {
    throw new UsageError(`unknown users command '${command}'\n\n${HELP}`);
  }
  if (WITH_EMAIL.includes(command)) {
    if (email === undefined) throw new UsageError(`'users ${command}' needs the user's e-mail address`);
    checkEmail(email);
  } else if (email !== undefined) throw new UsageError(`'users ${command}' takes no e-mail address`);
  if ((command === 'add' || command === 'set-roles') && parsed.roles.length === 0) {
    throw new UsageError(`'users ${command}' needs at least one --role (${ROLES.join(', ')})`);
  }
  if (parsed.roles.length > 0 && command !== 'add' && command !== 'set-roles') {
    throw new UsageError(`--role goes with add or set-roles, not '${command}'`);
  }

  if (command === 'hash') {
    console.log(await hashPassword(await newPassword(parsed.passwordStdin)));
    return 0;
  }
  const { config } = await loadCliConfig(parsed.config, 'users');
  const store = await openStore(config.storage);
  try {
    const actor = cliActor();
    if (command === 'list') return await list(store, parsed.format);
    return await change(store, command, email!, parsed, actor);
  } finally {
    await store.close();
  }
}

function checkEmail(email: string): void {
  if (email.length > MAX_EMAIL_LENGTH || !/^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(email)) {
    throw new UsageError(`"${email.slice(0, 80)}" is not an e-mail address (like dsl@school.sch.uk)`);
  }
}

async function existing(store: HoldStore, email: string): Promise<User> {
  const user = await store.getUser(email);
  if (user === undefined) throw new RefusedError(`no user has the address ${email}; see \`chaperone users list\``);
  return user;
}

async function change(
  store: HoldStore,
  command: string,
  email: string,
  args: UsersArgs,
  actor: string,
): Promise<number> {
  const audit = (action: string, detail?: Record<string, unknown>) =>
    store.appendAudit({
      at: new Date(),
      actor,
      action,
      remoteAddress: cliRemoteAddress(),
      detail: { user: email, ...detail },
    });

  switch (command) {
    case 'add': {
      if (await store.getUser(email))
        throw new RefusedError(`${email} is already a user; to change their roles use set-roles`);
      const passwordHash = await hashPassword(await newPassword(args.passwordStdin));
      await store.createUser({
        email,
        roles: args.roles,
        passwordHash,
        createdAt: new Date(),
        failedLogins: 0,
        disabled: false,
      });
      await audit('user.created', { roles: args.roles });
      console.log(`Added ${email} (${args.roles.join(', ')}).`);
      return 0;
    }
    case 'set-roles': {
      const user = await existing(store, email);
      await store.updateUser(email, { roles: args.roles });
      await audit('user.roles-changed', { from: user.roles, to: args.roles });
      console.log(`${email} now has the roles: ${args.roles.join(', ')}.`);
      return 0;
    }
    case 'reset-password': {
      await existing(store, email);
      const passwordHash = await hashPassword(await newPassword(args.passwordStdin));
      await store.updateUser(email, { passwordHash, failedLogins: 0, lockedUntil: undefined });
      // Whoever knew the old password may be signed in with it: their sessions end here.
      const ended = await store.deleteSessionsOf(email);
      await audit('user.password-reset', { sessionsEnded: ended });
      console.log(`Set a new password for ${email}.`);
      return 0;
    }
    case 'disable':
    case 'enable': {
      const user = await existing(store, email);
      const disabled = command === 'disable';
      if (user.disabled === disabled) {
        console.log(`${email} is already ${disabled ? 'disabled' : 'enabled'}.`);
        return 0;
      }
      await store.updateUser(email, { disabled });
      const ended = disabled ? await store.deleteSessionsOf(email) : 0;
      await audit(disabled ? 'user.disabled' : 'user.enabled', disabled ? { sessionsEnded: ended } : {});
      console.log(`${disabled ? 'Disabled' : 'Enabled'} ${email}.`);
      return 0;
    }
    default: {
      const user = await existing(store, email);
      await store.updateUser(email, { failedLogins: 0, lockedUntil: undefined });
      await audit('user.unlocked', { failedLogins: user.failedLogins });
      console.log(`Unlocked ${email}.`);
      return 0;
    }
  }
}

function status(user: User, now: Date): string {
  if (user.disabled) return 'disabled';
  if (user.lockedUntil !== undefined && user.lockedUntil > now) return `locked until ${user.lockedUntil.toISOString()}`;
  return 'active';
}

async function list(store: HoldStore, format: 'text' | 'json'): Promise<number> {
  const all = await store.listUsers();
  const now = new Date();
  if (format === 'json') {
    const entries = all.map((u) => ({
      email: u.email,
      roles: u.roles,
      status: u.disabled ? 'disabled' : u.lockedUntil !== undefined && u.lockedUntil > now ? 'locked' : 'active',
      failedLogins: u.failedLogins,
      ...(u.lockedUntil ? { lockedUntil: u.lockedUntil.toISOString() } : {}),
      createdAt: u.createdAt.toISOString(),
    }));
    console.log(JSON.stringify(entries, null, 2));
    return 0;
  }
  if (all.length === 0) {
    // After `npm ci` the command is not on the PATH: name the way that works from the installation folder.
    console.log(
      'No users yet. Add the first, from the Chaperone folder, with:\n' +
        '  node bin/chaperone.js users add EMAIL --role dsl --role admin --config /etc/chaperone/chaperone.yaml\n' +
        '(or set CHAPERONE_CONFIG to your chaperone.yaml and leave out --config)',
    );
    return 0;
  }
  const rows = [
    ['EMAIL', 'ROLES', 'STATUS', 'ADDED'],
    ...all.map((u) => [u.email, u.roles.join(','), status(u, now), u.createdAt.toISOString().slice(0, 10)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n'),
  );
  return 0;
}

/** A new password: the first line of standard input, or asked twice on the terminal without echo. */
async function newPassword(fromStdin: boolean): Promise<string> {
  let password: string;
  if (fromStdin) password = await firstLineOfStdin();
  else {
    if (!process.stdin.isTTY) {
      throw new UsageError('there is no terminal to ask for the password on: pipe it in with --password-stdin');
    }
    const [first, again] = await askHidden(['New password: ', 'Type it again: ']);
    if (again !== first) throw new UsageError('the two passwords differ; nothing was changed');
    password = first ?? '';
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(
      `the password must be at least ${MIN_PASSWORD_LENGTH} characters (a few words make a good one)`,
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new UsageError(`the password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  return password;
}

async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (buffer.includes(0x0a) || size > MAX_STDIN_BYTES) break;
  }
  const text = Buffer.concat(chunks).subarray(0, MAX_STDIN_BYTES).toString('utf8');
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * Asks each prompt in turn and reads one line per prompt from the terminal, echoing nothing. Raw mode is on before
 * the first prompt appears and stays on until the last answer, so nothing typed early is echoed. Ctrl-C abandons.
 */
function askHidden(prompts: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    const answers: string[] = [];
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      if (error) {
        process.stderr.write('\n');
        reject(error);
      } else resolve(answers);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          answers.push(typed);
          typed = '';
          process.stderr.write('\n');
          if (answers.length === prompts.length) return finish();
          process.stderr.write(prompts[answers.length]!);
        } else if (char === '\u0003') return finish(new UsageError('cancelled; nothing was changed'));
        else if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ' && typed.length <= MAX_PASSWORD_LENGTH) typed += char;
      }
    };
    stdin.on('data', onData);
    process.stderr.write(prompts[0]!);
  });
}
