// Decisions end to end: a real SQLite store, the real SMTP upstream and a real SMTP server standing in for the
// school's outbound relay.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { createUpstream } from '../../../src/gateway/create-upstream.js';
import {
  DecisionRefusedError,
  REDELIVERY_INTERVAL_MS,
  StateConflictError,
  escalateHold,
  redeliverHold,
  rejectHold,
  releaseHold,
  retryFailedDeliveries,
  type DecisionDeps,
} from '../../../src/gateway/decisions.js';
import type { HoldStore } from '../../../src/gateway/hold-store.js';
import { SqliteStore } from '../../../src/gateway/sqlite-store.js';
import type { Upstream } from '../../../src/gateway/upstream.js';
import { makeHold, rawMessage } from './fixtures.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

let folder: string;
let store: SqliteStore;
let sink: SmtpSink;
let upstream: Upstream;
let deps: DecisionDeps;

function smtpUpstream(url: string): Upstream {
  const config = configSchema.parse({ upstream: url, upstreamOptions: { timeoutSeconds: 5 } });
  return createUpstream({
    upstream: config.upstream,
    upstreamOptions: config.upstreamOptions,
    hostname: 'chaperone.test',
  });
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'chaperone-decisions-'));
  store = new SqliteStore(join(folder, 'chaperone.db'));
  await store.init();
  sink = await startSmtpSink();
  upstream = smtpUpstream(sink.url);
  deps = { store, upstream };
});

afterEach(async () => {
  await upstream.close();
  await sink.close();
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

async function held(store: HoldStore, options: Parameters<typeof makeHold>[0] = {}) {
  const hold = makeHold(options);
  await store.putHold(hold);
  return hold;
}

async function actions(id: string): Promise<string[]> {
  return (await store.listAudit({ holdId: id })).map((e) => e.action).reverse();
}

describe('releasing a held message', () => {
  it('delivers it once to its envelope recipients, marked released without naming the reviewer, and audits both steps', async () => {
    const forged = Buffer.concat([
      Buffer.from('X-Chaperone-Verdict: released by nobody\r\n'),
      rawMessage('Trip', 'Hi'),
    ]);
    const hold = await held(store, {
      raw: forged,
      recipients: [
        { address: 'pupil1@pupils.oakfield.sch.uk', class: 'pupil' },
        { address: 'parent1@example.com', class: 'parent' },
      ],
    });
    const outcome = await releaseHold(deps, { id: hold.id, actor: 'dsl@oakfield.sch.uk', remoteAddress: '10.0.0.9' });

    expect(outcome.delivery.status).toBe('delivered');
    expect(outcome.item).toMatchObject({ state: 'released', decidedBy: 'dsl@oakfield.sch.uk' });
    expect(outcome.item.delivery?.status).toBe('delivered');
    expect(sink.messages).toHaveLength(1);
    const [message] = sink.messages;
    expect(message!.from).toBe('j.smith@oakfield.sch.uk');
    expect(message!.to).toEqual(['pupil1@pupils.oakfield.sch.uk', 'parent1@example.com']);
    const text = message!.raw.toString('utf8');
    // Pupils and parents read headers too: the reviewer is in the audit log, traced by the id, not in the message.
    expect(text.match(/^X-Chaperone-Verdict: .*$/gim)).toEqual(['X-Chaperone-Verdict: released']);
    expect(text).not.toContain('dsl@oakfield.sch.uk');
    expect(text).toContain(`X-Chaperone-Id: ${hold.id}`);
    expect(text).toContain('Subject: Trip');
    expect(await actions(hold.id)).toEqual(['hold.created', 'hold.released', 'hold.delivered']);
    const [delivered, released] = await store.listAudit({ holdId: hold.id });
    expect(released).toMatchObject({
      actor: 'dsl@oakfield.sch.uk',
      remoteAddress: '10.0.0.9',
      detail: { from: 'held' },
    });
    expect(delivered?.detail).toMatchObject({ attempt: 'release' });
  });

  it('delivers only once when two reviewers release at the same moment; the second is told it is already released', async () => {
    const other = new SqliteStore(store.path);
    await other.init();
    try {
      const hold = await held(store);
      const results = await Promise.allSettled([
        releaseHold(deps, { id: hold.id, actor: 'dsl@oakfield.sch.uk' }),
        releaseHold({ store: other, upstream }, { id: hold.id, actor: 'deputy@oakfield.sch.uk' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(StateConflictError);
      // The loser is told who won and when: the other reviewer, never "you".
      const winner = (await store.getHold(hold.id))!.decidedBy!;
      expect((refused?.reason as Error).message).toMatch(
        new RegExp(`^This message was already released by ${winner.replace(/\./g, '\\.')} at \\d{2}:\\d{2}\\.$`),
      );
      expect(sink.messages).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('records a failed delivery, keeps the message, and delivers it on a retry', async () => {
    const hold = await held(store);
    sink.refuseNext(451);
    const failed = await releaseHold(deps, { id: hold.id, actor: 'dsl@oakfield.sch.uk' });
    expect(failed.delivery.status).toBe('failed');
    expect(failed.delivery.response).toMatch(/451/);
    expect(failed.item).toMatchObject({ state: 'released', delivery: { status: 'failed' } });
    expect(sink.messages).toHaveLength(0);
    expect(await store.getRaw(hold.id)).toBeDefined();

    const retried = await redeliverHold(deps, { id: hold.id, actor: 'deputy@oakfield.sch.uk' });
    expect(retried.delivery.status).toBe('delivered');
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.raw.toString()).toMatch(/^X-Chaperone-Verdict: released\r\n/);
    expect(sink.messages[0]!.raw.toString()).not.toMatch(/dsl@oakfield|deputy@oakfield/);
    expect(await actions(hold.id)).toEqual(['hold.created', 'hold.released', 'hold.delivery-failed', 'hold.delivered']);
    await expect(redeliverHold(deps, { id: hold.id, actor: 'dsl@oakfield.sch.uk' })).rejects.toMatchObject({
      code: 'not-awaiting-delivery',
    });
  });

  it('records a failure when the outbound relay cannot be reached at all', async () => {
    const hold = await held(store);
    const unreachable = smtpUpstream('smtp://127.0.0.1:1');
    try {
      const outcome = await releaseHold({ store, upstream: unreachable }, { id: hold.id, actor: 'dsl@x' });
      expect(outcome.delivery.status).toBe('failed');
      expect(outcome.item.delivery?.status).toBe('failed');
      expect((await store.listAudit({ holdId: hold.id }))[0]).toMatchObject({
        action: 'hold.delivery-failed',
        detail: { permanent: false },
      });
    } finally {
      await unreachable.close();
    }
  });

  it('retries temporary failures on schedule but leaves permanent refusals to a person', async () => {
    let now = new Date('2025-03-10T09:00:00Z');
    const clocked: DecisionDeps = { store, upstream, now: () => now };
    const temporary = await held(store);
    const permanent = await held(store);
    sink.refuseNext(451);
    await releaseHold(clocked, { id: temporary.id, actor: 'dsl@x' });
    sink.refuseNext(550);
    await releaseHold(clocked, { id: permanent.id, actor: 'dsl@x' });

    expect(await retryFailedDeliveries(clocked)).toEqual({ delivered: [], failed: [] });
    now = new Date(now.getTime() + REDELIVERY_INTERVAL_MS);
    expect(await retryFailedDeliveries(clocked)).toEqual({ delivered: [temporary.id], failed: [] });
    expect(sink.messages).toHaveLength(1);
    expect((await store.getHold(permanent.id))?.delivery?.status).toBe('failed');
    expect((await store.listAudit({ holdId: temporary.id }))[0]).toMatchObject({
      actor: 'system',
      detail: { attempt: 'retry' },
    });
  });
});

describe('deciding on a held message', () => {
  it('refuses to let the sender decide on their own message, in any letter case', async () => {
    const hold = await held(store, { sender: 'j.smith@oakfield.sch.uk' });
    for (const decide of [releaseHold, rejectHold, escalateHold]) {
      const attempt = decide(deps, { id: hold.id, actor: 'J.Smith@Oakfield.sch.uk', reason: 'fine' });
      await expect(attempt).rejects.toBeInstanceOf(DecisionRefusedError);
      await expect(attempt).rejects.toMatchObject({ code: 'own-message' });
    }
    expect((await store.getHold(hold.id))?.state).toBe('held');
    expect(sink.messages).toHaveLength(0);
  });

  it('refuses the author named in the From header even when the envelope sender differs', async () => {
    const hold = makeHold({ sender: 'noreply@oakfield.sch.uk' });
    hold.from = 'Ms Dee <DSL@oakfield.sch.uk>';
    await store.putHold(hold);
    await expect(releaseHold(deps, { id: hold.id, actor: 'dsl@oakfield.sch.uk' })).rejects.toMatchObject({
      code: 'own-message',
    });
    expect((await releaseHold(deps, { id: hold.id, actor: 'deputy@oakfield.sch.uk' })).item.state).toBe('released');
  });

  it('requires a reason to reject or escalate', async () => {
    const hold = await held(store);
    await expect(rejectHold(deps, { id: hold.id, actor: 'dsl@x' })).rejects.toMatchObject({ code: 'reason-required' });
    await expect(escalateHold(deps, { id: hold.id, actor: 'dsl@x', reason: '   ' })).rejects.toMatchObject({
      code: 'reason-required',
    });
    await expect(rejectHold(deps, { id: hold.id, actor: 'dsl@x', reason: 'x'.repeat(5000) })).rejects.toMatchObject({
      code: 'reason-too-long',
    });
    expect(await actions(hold.id)).toEqual(['hold.created']);
  });

  it('lets an escalated message be released or rejected later, but not escalated again', async () => {
    const first = await held(store);
    const second = await held(store);
    await escalateHold(deps, { id: first.id, actor: 'dsl@x', reason: 'Head to see' });
    await escalateHold(deps, { id: second.id, actor: 'dsl@x', reason: 'Head to see' });
    await expect(escalateHold(deps, { id: first.id, actor: 'deputy@x', reason: 'again' })).rejects.toBeInstanceOf(
      StateConflictError,
    );
    const rejected = await rejectHold(deps, { id: first.id, actor: 'head@x', reason: 'Spoke to the teacher' });
    expect(rejected).toMatchObject({ state: 'rejected', decidedBy: 'head@x', decisionReason: 'Spoke to the teacher' });
    const released = await releaseHold(deps, { id: second.id, actor: 'head@x' });
    expect(released.item.state).toBe('released');
    expect(sink.messages).toHaveLength(1);
    await expect(releaseHold(deps, { id: first.id, actor: 'head@x' })).rejects.toMatchObject({
      actualState: 'rejected',
    });
    const [rejectedEntry] = await store.listAudit({ holdId: first.id, actor: 'head@x' });
    expect(rejectedEntry?.detail).toEqual({ from: 'escalated', reason: 'Spoke to the teacher' });
  });

  it('says plainly when no held message has the id', async () => {
    await expect(releaseHold(deps, { id: '0000000AA-BBBBBB', actor: 'dsl@x' })).rejects.toMatchObject({
      code: 'not-found',
      message: 'No held message has the id 0000000AA-BBBBBB.',
    });
  });
});
