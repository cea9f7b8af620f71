// The app's one door to decisions: G's decisions.ts does the work (state change, delivery, audit) for the CLI and
// the app alike; this adapts the app's request to it.
import type { HeldItem } from '../hold-store.js';
import type { ReviewAppDeps } from './deps.js';

export type DecisionKind = 'release' | 'reject' | 'escalate';

export interface DecisionRequest {
  kind: DecisionKind;
  id: string;
  actor: string;
  reason?: string;
  remoteAddress?: string;
}

// Interim until src/gateway/decisions.ts lands: the same steps, to be replaced by releaseHold/rejectHold/escalateHold.
export async function decideHold(deps: ReviewAppDeps, request: DecisionRequest, at: Date): Promise<HeldItem> {
  const state = request.kind === 'release' ? 'released' : request.kind === 'reject' ? 'rejected' : 'escalated';
  const item = await deps.store.decide(request.id, {
    state,
    actor: request.actor,
    at,
    ...(request.reason ? { reason: request.reason } : {}),
  });
  await deps.store.appendAudit({
    at,
    actor: request.actor,
    action: `hold.${state}`,
    holdId: request.id,
    ...(request.remoteAddress ? { remoteAddress: request.remoteAddress } : {}),
    ...(request.reason ? { detail: { reason: request.reason } } : {}),
  });
  if (state !== 'released') return item;
  const raw = await deps.store.getRaw(request.id);
  if (!raw) return item;
  const result = await deps.upstream.deliver({ from: item.envelope.mailFrom, to: item.envelope.rcptTo }, raw);
  await deps.store.recordDelivery(request.id, {
    status: result.ok ? 'delivered' : 'failed',
    at: new Date(),
    response: result.response,
  });
  return (await deps.store.getHold(request.id)) ?? item;
}
