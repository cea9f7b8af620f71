// What the review app needs from the rest of the gateway, and who is looking at it.
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type { HoldStore, Role, Session, User } from '../hold-store.js';
import type { Upstream } from '../upstream.js';
import type { Notifier } from '../notifications.js';

/** A rule as the admin page lists it (from the compiled rule set the relay screens with). */
export interface RuleStatus {
  id: string;
  category: string;
  severity: string;
  /** The pack (file) it came from, and whether it is a local override. */
  pack?: string;
  local?: boolean;
}

export interface ReviewAppDeps {
  config: Config;
  store: HoldStore;
  upstream: Upstream;
  logger: Logger;
  notifier: Notifier;
  /** The clock; tests inject one. */
  now?: () => Date;
  /** Loaded rules, for the admin page's rule status; omitted when the caller has none to hand. */
  rules?: () => readonly RuleStatus[];
  /** Proxy addresses whose X-Forwarded-For is trusted, e.g. '127.0.0.1' (default none: the socket address is used). */
  trustProxy?: boolean | string | string[];
}

/** The signed-in user of a request. */
export interface Viewer {
  user: User;
  session: Session;
  /** The token every form of this session must carry. */
  csrfToken: string;
}

export function hasRole(viewer: Viewer, role: Role): boolean {
  return viewer.user.roles.includes(role);
}
