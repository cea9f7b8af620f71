// Runs the whole gateway: the SMTP relay, the review app and its scheduler, over one store and one upstream, with
// reloads on SIGHUP or file changes and a drain on shutdown.
import type { FastifyInstance } from 'fastify';
import { basename, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { createUpstream, describeUpstream } from './create-upstream.js';
import type { HoldStore } from './hold-store.js';
import { createLogger, type Logger } from './logger.js';
import { parseListen, type ListenAddress } from './networks.js';
import { createReviewApp } from './review/app.js';
import { liveConfig, settingsInForce } from './live-config.js';
import { loadConfig } from '../config/load.js';
import { createNotifier, type Notifier } from './notifications.js';
import { openStore, redact } from './open-store.js';
import { describePolicy } from './policy.js';
import { relayMessage, type RelayDeps } from './relay-message.js';
import { createScreeningGate } from './screening-gate.js';
import { inProcessScreener, type Screener } from './screener.js';
import { startScreeningThreads } from './screening-threads.js';
import { loadRelaySet, type RelaySet } from './relay-set.js';
import { startReloader, type Reloader } from './reload.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import { startSmtpListener, type AcceptedMessage, type SmtpListener } from './smtp-listener.js';
import type { Upstream } from './upstream.js';

export interface ServeOptions {
  configFile: string;
  /** Default: pino JSON on stdout at the configured level. */
  logger?: Logger;
  /** Run the review app (default true); the relay runs either way. */
  review?: boolean;
  /**
   * Run the scheduler: notices, digest, overdue reminders, redelivery, retention (default: as `review`). Several
   * instances sharing one PostgreSQL queue may all run it (each job run is claimed in the store), or leave it to some.
   */
  scheduler?: boolean;
  /** Watch config, rule and directory files for changes (default true). */
  watchFiles?: boolean;
}

export interface RunningGateway {
  readonly smtp: ListenAddress;
  readonly review?: ListenAddress;
  readonly store: HoldStore;
  readonly logger: Logger;
  /** The set in use now (after the latest good reload). */
  current(): RelaySet;
  reload(reason: string): Promise<boolean>;
  /** Drains the relay (bounded by smtp.closeTimeoutSeconds), stops the app and scheduler, closes store and upstream. */
  stop(): Promise<void>;
}

/**
 * Settings a reload cannot change on a running gateway (its sockets, store, upstream and cookies), compared with what
 * it started with, so every reload repeats the warning until the restart. settingsInForce keeps them as they started.
 */
function restartNeeded(previous: Config, next: Config): string[] {
  const keys: string[] = [];
  if (previous.smtp.listen !== next.smtp.listen) keys.push('smtp.listen');
  if ((previous.smtp.tls === undefined) !== (next.smtp.tls === undefined)) keys.push('smtp.tls');
  if (JSON.stringify(previous.smtp.auth ?? null) !== JSON.stringify(next.smtp.auth ?? null)) {
    const wasOn = (previous.smtp.auth?.users.length ?? 0) > 0;
    const isOn = (next.smtp.auth?.users.length ?? 0) > 0;
    if (wasOn !== isOn || previous.smtp.auth?.required !== next.smtp.auth?.required) keys.push('smtp.auth');
  }
  if (previous.storage !== next.storage) keys.push('storage');
  for (const key of ['threads', 'timeoutSeconds'] as const) {
    if (previous.screening[key] !== next.screening[key]) keys.push(`screening.${key}`);
  }
  if (
    previous.upstream !== next.upstream ||
    JSON.stringify(previous.upstreamOptions) !== JSON.stringify(next.upstreamOptions)
  ) {
    keys.push('upstream');
  }
  for (const key of ['listen', 'secureCookies', 'trustProxy'] as const) {
    if (JSON.stringify(previous.review[key]) !== JSON.stringify(next.review[key])) keys.push(`review.${key}`);
  }
  return keys;
}

/** Screening threads as screening.* asks (0: on the main thread); replacements are logged once there is a logger. */
function createScreener(config: Config, log: (reason: string) => void): Screener {
  if (config.screening.threads === 0) return inProcessScreener();
  return startScreeningThreads({
    threads: config.screening.threads,
    timeoutSeconds: config.screening.timeoutSeconds,
    onReplaced: log,
  });
}

function logSetWarnings(logger: Logger, set: RelaySet): void {
  for (const warning of set.relay.directory.warnings) logger.warn({ event: 'directory-row-skipped' }, warning);
  for (const warning of set.relay.screen.warnings) logger.warn({ event: 'rule-warning' }, warning);
}

export async function serve(options: ServeOptions): Promise<RunningGateway> {
  const started = await loadConfig(resolve(options.configFile));
  const logger = options.logger ?? createLogger(started.config.log.level);
  const screener = createScreener(started.config, (reason) =>
    logger.error({ event: 'screening-thread-replaced', reason }, 'replaced a screening thread'),
  );
  let set: RelaySet;
  try {
    set = await loadRelaySet(options.configFile, screener, started.config);
  } catch (error) {
    await screener.close();
    throw error;
  }
  const config = set.config;
  // The notifier, scheduler, retention and review app read their settings through this view: a reload applies to
  // them (a new DSL address is e-mailed at the next hold), restart-only settings keep their start-up values.
  let inForce = config;
  const live = liveConfig(() => inForce);
  logSetWarnings(logger, set);

  const smtpListen = parseListen(config.smtp.listen, 'smtp.listen');
  const store = await openStore(config.storage);
  let upstream: Upstream | undefined;
  let listener: SmtpListener | undefined;
  let reviewApp: FastifyInstance | undefined;
  let scheduler: Scheduler | undefined;
  let notifier: Notifier | undefined;
  let reloader: Reloader | undefined;
  try {
    upstream = createUpstream({
      upstream: config.upstream,
      upstreamOptions: config.upstreamOptions,
      hostname: config.smtp.hostname,
    });
    notifier = createNotifier({ config: live, store, upstream, logger });
    const relayDeps: RelayDeps = {
      state: () => set.relay,
      screener,
      store,
      upstream,
      notifier,
      logger,
      gate: createScreeningGate(),
    };
    const onMessage = (message: AcceptedMessage) =>
      relayMessage(relayDeps, {
        session: message.session,
        raw: message.raw,
        protocol: message.protocol,
        envelope: {
          mailFrom: message.mailFrom,
          rcptTo: message.rcptTo,
          remoteAddress: message.remoteAddress,
          clientHostname: message.clientHostname,
          authUser: message.authUser,
        },
      });
    listener = await startSmtpListener({ smtp: config.smtp, state: () => set.listener, onMessage, logger }, smtpListen);

    let reviewAddress: ListenAddress | undefined;
    if (options.review !== false) {
      const reviewListen = parseListen(config.review.listen, 'review.listen');
      reviewApp = await createReviewApp({
        config: live,
        store,
        upstream,
        logger,
        notifier,
        rules: () => ruleStatuses(set),
        trustProxy: config.review.trustProxy,
      });
      await reviewApp.listen({ host: reviewListen.host, port: reviewListen.port });
      const bound = reviewApp.server.address();
      reviewAddress =
        typeof bound === 'object' && bound !== null ? { host: bound.address, port: bound.port } : reviewListen;
    }
    if (options.scheduler ?? options.review !== false) {
      scheduler = startScheduler({ config: live, store, notifier, logger, upstream });
    }

    const smtpListener = listener;
    reloader = startReloader({
      initial: set,
      load: (file) => loadRelaySet(file, screener),
      logger,
      watchFiles: options.watchFiles,
      apply(next) {
        const needRestart = restartNeeded(config, next.config);
        if (needRestart.length > 0) {
          logger.warn(
            { event: 'restart-needed', keys: needRestart },
            `changes to ${needRestart.join(', ')} apply after a restart; everything else in the file applies now`,
          );
        }
        smtpListener.update(next.config.smtp);
        if (options.logger === undefined) logger.level = next.config.log.level;
        inForce = settingsInForce(config, next.config);
        logSetWarnings(logger, next);
        screener.retire(set.relay.screen);
        set = next;
      },
    });

    logger.info(
      {
        event: 'started',
        smtp: `${listener.address.host}:${listener.address.port}`,
        review: reviewAddress === undefined ? undefined : `${reviewAddress.host}:${reviewAddress.port}`,
        scheduler: scheduler !== undefined,
        upstream: describeUpstream(config.upstream),
        storage: redact(config.storage),
        rules: set.ruleCount,
        screeningThreads: config.screening.threads,
        directory: set.relay.directory.counts,
        policy: describePolicy(config.policy),
      },
      'Chaperone is running',
    );

    const running = { upstream, listener, reloader, notifier };
    let stopping: Promise<void> | undefined;
    return {
      smtp: listener.address,
      review: reviewAddress,
      store,
      logger,
      current: () => set,
      reload: (reason: string) => running.reloader.reload(reason),
      stop(): Promise<void> {
        stopping ??= (async () => {
          running.reloader.close();
          const inFlight = running.listener.inFlight;
          logger.info({ event: 'stopping', inFlight }, 'stopping: finishing messages in progress');
          await running.listener.drain();
          await scheduler?.stop();
          await reviewApp?.close();
          await running.notifier.settled();
          await running.upstream.close();
          await screener.close();
          await store.close();
          logger.info({ event: 'stopped' }, 'stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    reloader?.close();
    await listener?.drain().catch(() => undefined);
    await scheduler?.stop().catch(() => undefined);
    await reviewApp?.close().catch(() => undefined);
    await upstream?.close().catch(() => undefined);
    await screener.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}

/** The rules as the review app's admin page lists them. */
function ruleStatuses(
  set: RelaySet,
): { id: string; category: string; severity: string; pack?: string; local?: boolean }[] {
  return set.relay.screen.rules.map((rule) => ({
    id: rule.id,
    category: rule.category,
    severity: rule.severity,
    pack: basename(rule.file),
    local: rule.local,
  }));
}
