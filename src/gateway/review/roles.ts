// Who may do what. DSLs review and decide; auditors read everything but change nothing; admins manage users and
// settings but do not read held mail unless they are also a DSL or auditor.
import type { Config } from '../../config/schema.js';
import { isAuthor } from '../decisions.js';
import type { HeldItem } from '../hold-store.js';
import { hasRole, type Viewer } from './deps.js';

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function isDeputy(viewer: Viewer, config: Config): boolean {
  return config.review.deputies.some((d) => sameAddress(d, viewer.user.email));
}

export function canDecide(viewer: Viewer, config: Config): boolean {
  return hasRole(viewer, 'dsl') || isDeputy(viewer, config);
}

export function canReadContent(viewer: Viewer, config: Config): boolean {
  return canDecide(viewer, config) || hasRole(viewer, 'auditor');
}

export function canReadAudit(viewer: Viewer, config: Config): boolean {
  return hasRole(viewer, 'auditor') || canDecide(viewer, config);
}

export function canAdminister(viewer: Viewer): boolean {
  return hasRole(viewer, 'admin');
}

/**
 * Nobody decides on their own message: the envelope sender, the SMTP login and every address in the From header
 * count, whatever the case and with or without a +tag (see decisions.ts, which refuses the same for the CLI).
 */
export function isOwnMessage(viewer: Viewer, item: Pick<HeldItem, 'envelope' | 'from'>): boolean {
  return isAuthor(viewer.user.email, item);
}
