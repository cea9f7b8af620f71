// The shape of chaperone.yaml, validated once at the edge; the rest of the code sees only `Config`.
import { z } from 'zod';
import { CATEGORIES } from '../classifier/types.js';

const listOfStrings = z.array(z.string().min(1)).default([]);

const organisation = z
  .object({
    name: z.string().default('Our school'),
    domains: listOfStrings,
    phones: listOfStrings,
    accounts: listOfStrings,
  })
  .strict()
  .prefault({});

const rules = z
  .object({
    /** Shipped rule packs; default: the rules/ folder of the installation. */
    dirs: z.array(z.string()).optional(),
    /** The school's own additions and overrides, merged over the shipped packs by rule id. */
    local: z.string().optional(),
  })
  .strict()
  .prefault({});

const thresholds = z
  .object({ tag: z.number().min(0).default(2), hold: z.number().min(0).default(5) })
  .strict()
  .refine((t) => t.tag <= t.hold, { message: 'thresholds.tag must not be above thresholds.hold' })
  .prefault({});

const tlsFiles = z.object({ key: z.string(), cert: z.string() }).strict();

const smtpUser = z
  .object({
    username: z.string().min(1),
    /** scrypt hash as written by `chaperone users hash`, or a plain password (not recommended). */
    passwordHash: z.string().optional(),
    password: z.string().optional(),
  })
  .strict()
  .refine((u) => u.passwordHash !== undefined || u.password !== undefined, {
    message: 'each smtp.auth.users entry needs passwordHash or password',
  });

const smtp = z
  .object({
    listen: z.string().default('127.0.0.1:2525'),
    hostname: z.string().default('chaperone.localhost'),
    tls: tlsFiles.optional(),
    /** Refuse MAIL FROM until STARTTLS (needs tls). */
    requireTls: z.boolean().default(false),
    auth: z
      .object({ required: z.boolean().default(false), users: z.array(smtpUser).default([]) })
      .strict()
      .optional(),
    allowNetworks: z.array(z.string()).default(['127.0.0.0/8', '::1/128']),
    /** Envelope sender domains accepted; default organisation.domains. `["*"]` accepts any sender. */
    senderDomains: z.array(z.string()).optional(),
    maxSize: z
      .number()
      .int()
      .positive()
      .default(25 * 1024 * 1024),
    maxRecipients: z.number().int().positive().default(500),
    maxClients: z.number().int().positive().default(200),
    maxConnectionsPerClient: z.number().int().positive().default(50),
    socketTimeoutSeconds: z.number().positive().default(120),
    /**
     * The longest a client may take to send one message after DATA. The idle timeout alone let a client that sends a
     * byte every few seconds hold a connection for ever. Ten minutes is 25 MB at 42 KB/s.
     */
    dataTimeoutSeconds: z.number().positive().default(600),
    closeTimeoutSeconds: z.number().positive().default(30),
  })
  .strict()
  .prefault({});

/**
 * Where messages are screened. `threads` worker threads each hold the compiled rules and screen one message at a
 * time, so the SMTP sessions never wait behind a long message and the classifier gets its own core; 0 screens on the
 * main thread (one process, ~70 MB less memory, for very small machines). A message whose screening takes longer
 * than `timeoutSeconds` is held and its thread restarted.
 */
const screening = z
  .object({
    threads: z.number().int().min(0).max(16).default(1),
    timeoutSeconds: z.number().positive().default(60),
  })
  .strict()
  .prefault({});

const directoryClass = z.object({ domains: listOfStrings, csv: listOfStrings }).strict().prefault({});

const directory = z
  .object({ pupils: directoryClass, parents: directoryClass, staff: directoryClass })
  .strict()
  .prefault({});

const policyMode = z.enum(['screen', 'monitor', 'off']);
const classPolicy = z
  .object({
    /** screen: hold what breaks the rules; monitor: screen, tag and log, never hold; off: pass untouched. */
    mode: policyMode,
    categories: z.array(z.enum(CATEGORIES)).default([...CATEGORIES]),
  })
  .strict();

const policy = z
  .object({
    pupil: classPolicy.prefault({ mode: 'screen' }),
    parent: classPolicy.prefault({ mode: 'screen' }),
    staff: classPolicy.prefault({ mode: 'off' }),
    external: classPolicy.prefault({ mode: 'off' }),
  })
  .strict()
  .prefault({});

const upstreamOptions = z
  .object({
    /** Use implicit TLS (port 465 style); otherwise STARTTLS when offered. */
    secure: z.boolean().default(false),
    requireTls: z.boolean().default(false),
    rejectUnauthorized: z.boolean().default(true),
    auth: z.object({ user: z.string(), pass: z.string() }).strict().optional(),
    maxConnections: z.number().int().positive().default(5),
    timeoutSeconds: z.number().positive().default(60),
  })
  .strict()
  .prefault({});

const review = z
  .object({
    listen: z.string().default('127.0.0.1:8025'),
    /** The address DSLs reach the app on, used in notification links. */
    publicUrl: z.string().optional(),
    escalateAfterHours: z.number().positive().default(24),
    /** Deputy DSLs: re-notified about overdue items, and decide items a DSL sent. */
    deputies: listOfStrings,
    /** Set when the app is served over HTTPS (directly or behind a proxy). */
    secureCookies: z.boolean().default(false),
    sessionHours: z.number().positive().default(8),
    /** Behind a reverse proxy: trust its X-Forwarded-For (true, or the proxy's addresses) so the audit log records the user's address. */
    trustProxy: z.union([z.boolean(), z.string(), z.array(z.string())]).default(false),
  })
  .strict()
  .prefault({});

const notifications = z
  .object({
    from: z.string().optional(),
    /** DSL addresses told about holds. */
    dsl: listOfStrings,
    /** Tell the sender their message is held (never quoting the flagged text). */
    notifySender: z.boolean().default(true),
    /** Daily digest time (HH:MM, local) for holds below `immediate` severity. */
    digestAt: z
      .string()
      .regex(/^\d{2}:\d{2}$/)
      .default('16:00'),
    immediate: z.enum(['low', 'medium', 'high']).default('high'),
  })
  .strict()
  .prefault({});

const retention = z
  .object({ days: z.number().int().positive().default(90) })
  .strict()
  .prefault({});

export const configSchema = z
  .object({
    organisation,
    rules,
    thresholds,
    smtp,
    screening,
    directory,
    policy,
    /** smtp://host:port, smtps://host:port, or dir:PATH (write each message to a folder). */
    upstream: z.string().default('dir:./data/outbox'),
    upstreamOptions,
    /** sqlite:PATH or postgres://user:pass@host/db */
    storage: z.string().default('sqlite:./data/chaperone.db'),
    review,
    notifications,
    retention,
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type PolicyMode = z.infer<typeof policyMode>;
export type ClassPolicy = z.infer<typeof classPolicy>;
