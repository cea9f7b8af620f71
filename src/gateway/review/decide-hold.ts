// The app's one door to decisions: decisions.ts does the work (state change, delivery, audit) for the CLI and the
// app alike; this only maps the three buttons onto it.
import { escalateHold, rejectHold, releaseHold } from '../decisions.js';
import type { HeldItem } from '../hold-store.js';
import type { ReviewAppDeps } from './deps.js';

export { DecisionRefusedError } from '../decisions.js';

export type DecisionKind = 'release' | 'reject' | 'escalate';

export interface DecisionRequest {
  kind: DecisionKind;
  id: string;
  actor: string;
  reason?: string;
  remoteAddress?: string;
}

export async function decideHold(deps: ReviewAppDeps, request: DecisionRequest, now: () => Date): Promise<HeldItem> {
  const decisionDeps = { store: deps.store, upstream: deps.upstream, logger: deps.logger, now };
  const { kind, ...rest } = request;
  if (kind === 'release') return (await releaseHold(decisionDeps, rest)).item;
  if (kind === 'reject') return rejectHold(decisionDeps, rest);
  return escalateHold(decisionDeps, rest);
}
