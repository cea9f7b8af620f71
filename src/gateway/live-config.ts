// The settings in force while the gateway runs. The review app, notifier, scheduler and retention read their settings
// through a live view, so a reload (a new DSL address, a new retention period) applies to them at once, while the
// few settings a running server cannot change keep their start-up values until a restart.
import type { Config } from '../config/schema.js';

/**
 * The reloaded config with what cannot change on a running gateway kept as it started: so what the admin page shows
 * and what the app does agree, and a restart-only change waits for the restart that the log asks for.
 */
export function settingsInForce(started: Config, reloaded: Config): Config {
  return {
    ...reloaded,
    storage: started.storage,
    upstream: started.upstream,
    upstreamOptions: started.upstreamOptions,
    review: {
      ...reloaded.review,
      listen: started.review.listen,
      secureCookies: started.review.secureCookies,
      trustProxy: started.review.trustProxy,
    },
  };
}

/**
 * A Config whose every read goes to `current()`, for code written against a Config value (the review app's routes,
 * the notifier): `config.notifications.dsl` read at the time of a notice is the one in force then. Keep the view,
 * not a section of it: `const n = config.notifications` taken at start-up would not follow reloads.
 */
export function liveConfig(current: () => Config): Config {
  return new Proxy({} as Config, {
    get: (_target, key) => Reflect.get(current(), key),
    has: (_target, key) => Reflect.has(current(), key),
    ownKeys: () => Reflect.ownKeys(current()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(current(), key);
      // The target is empty, so a proxy may only report properties as configurable.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  });
}
