import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  get,
  makeHold,
  outboxMessages,
  post,
  putPhoneHold,
  signIn,
  startHarness,
  type Harness,
  type SignedIn,
} from './fixtures.js';

let h: Harness;
let dsl: SignedIn;

beforeAll(async () => {
  h = await startHarness();
  await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
  await addUser(h.store, 'j.smith@oakfield.sch.uk', ['dsl']);
  await addUser(h.store, 'deputy@oakfield.sch.uk', ['auditor']);
  dsl = await signIn(h.app, 'dsl@oakfield.sch.uk');
});
afterAll(async () => h.close());

async function actionsFor(holdId: string): Promise<string[]> {
  return (await h.store.listAudit({ holdId })).map((e) => `${e.actor} ${e.action}`);
}

describe('viewing a held message', () => {
  it('records every view in the audit log with who and from which address', async () => {
    const hold = await putPhoneHold(h.store);
    expect((await get(h.app, dsl, `/holds/${hold.id}`)).statusCode).toBe(200);
    expect((await get(h.app, dsl, `/holds/${hold.id}`)).statusCode).toBe(200);
    const views = (await h.store.listAudit({ holdId: hold.id })).filter((e) => e.action === 'hold.viewed');
    expect(views).toHaveLength(2);
    expect(views[0]).toMatchObject({ actor: 'dsl@oakfield.sch.uk', remoteAddress: '127.0.0.1' });
  });
});

describe('release', () => {
  it('delivers the original message through the upstream, records the decision and audits it', async () => {
    const hold = await putPhoneHold(h.store);
    const response = await post(h.app, dsl, `/holds/${hold.id}/release`);
    expect(response.statusCode).toBe(303);
    const item = await h.store.getHold(hold.id);
    expect(item).toMatchObject({ state: 'released', decidedBy: 'dsl@oakfield.sch.uk' });
    expect(item?.delivery?.status).toBe('delivered');
    const delivered = (await outboxMessages(h.outbox)).filter(
      (m) => m.raw.includes(hold.id) || m.raw.includes('07700 900123'),
    );
    expect(delivered.at(-1)?.envelope).toMatchObject({ from: hold.envelope.mailFrom, to: hold.envelope.rcptTo });
    expect(await actionsFor(hold.id)).toContain('dsl@oakfield.sch.uk hold.released');
    const page = await get(h.app, dsl, response.headers.location as string);
    expect(page.body).toContain('Released');
  });

  it('refuses a second decision on the same message', async () => {
    const hold = await putPhoneHold(h.store);
    await post(h.app, dsl, `/holds/${hold.id}/reject`, { reason: 'Personal number' });
    const again = await post(h.app, dsl, `/holds/${hold.id}/release`);
    expect(again.statusCode).toBe(409);
    expect((await h.store.getHold(hold.id))?.state).toBe('rejected');
  });
});

describe('reject', () => {
  it('needs a reason', async () => {
    const hold = await putPhoneHold(h.store);
    const response = await post(h.app, dsl, `/holds/${hold.id}/reject`, { reason: '   ' });
    expect(response.statusCode).toBe(400);
    expect((await h.store.getHold(hold.id))?.state).toBe('held');
  });

  it('records the reason, delivers nothing, and tells the sender with the rule advice but never the flagged text', async () => {
    const hold = await putPhoneHold(h.store);
    const before = (await outboxMessages(h.outbox)).length;
    const response = await post(h.app, dsl, `/holds/${hold.id}/reject`, {
      reason: 'Gave a personal mobile',
      notifySender: 'yes',
    });
    expect(response.headers.location).toContain('rejected-notified');
    const item = await h.store.getHold(hold.id);
    expect(item).toMatchObject({ state: 'rejected', decisionReason: 'Gave a personal mobile' });
    const sent = (await outboxMessages(h.outbox)).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.envelope.to).toEqual([hold.envelope.mailFrom]);
    expect(sent[0]?.raw).toContain('Advice for personal-mobile');
    expect(sent[0]?.raw).not.toContain('07700');
    expect(sent[0]?.raw).not.toContain('Homework');
  });
});

describe('escalate', () => {
  it('needs a note, keeps the message undelivered, and allows a final decision afterwards', async () => {
    const hold = await putPhoneHold(h.store);
    expect((await post(h.app, dsl, `/holds/${hold.id}/escalate`, {})).statusCode).toBe(400);
    expect((await post(h.app, dsl, `/holds/${hold.id}/escalate`, { reason: 'Passed to the head' })).statusCode).toBe(
      303,
    );
    expect((await h.store.getHold(hold.id))?.state).toBe('escalated');
    const page = await get(h.app, dsl, `/holds/${hold.id}`);
    expect(page.body).toContain('Passed to the head');
    expect(page.body).toContain(`/holds/${hold.id}/reject`);
    await post(h.app, dsl, `/holds/${hold.id}/reject`, { reason: 'LADO advised not to send' });
    expect((await h.store.getHold(hold.id))?.state).toBe('rejected');
    expect(await actionsFor(hold.id)).toEqual(
      expect.arrayContaining(['dsl@oakfield.sch.uk hold.escalated', 'dsl@oakfield.sch.uk hold.rejected']),
    );
  });
});

describe('nobody decides on their own message', () => {
  it('shows the sender-DSL a note instead of the buttons and refuses their decision', async () => {
    const hold = await putPhoneHold(h.store);
    const sender = await signIn(h.app, 'j.smith@oakfield.sch.uk');
    const page = await get(h.app, sender, `/holds/${hold.id}`);
    expect(page.body).toContain('You sent this message');
    expect(page.body).not.toContain(`/holds/${hold.id}/release`);
    const response = await post(h.app, sender, `/holds/${hold.id}/release`);
    expect(response.statusCode).toBe(403);
    expect((await h.store.getHold(hold.id))?.state).toBe('held');
  });

  it('lets a deputy named in review.deputies decide it', async () => {
    const hold = await putPhoneHold(h.store);
    const deputy = await signIn(h.app, 'deputy@oakfield.sch.uk');
    expect((await post(h.app, deputy, `/holds/${hold.id}/release`)).statusCode).toBe(303);
    expect((await h.store.getHold(hold.id))?.decidedBy).toBe('deputy@oakfield.sch.uk');
  });
});

describe('"not a concern" feedback', () => {
  it('is recorded per finding, audited, and counted for the rule on the admin page', async () => {
    await addUser(h.store, 'admin@oakfield.sch.uk', ['admin']);
    const hold = await putPhoneHold(h.store);
    expect((await post(h.app, dsl, `/holds/${hold.id}/findings/1/not-a-concern`)).statusCode).toBe(303);
    expect(await h.store.listFeedback(hold.id)).toMatchObject([
      { findingIndex: 0, rule: 'personal-mobile', actor: 'dsl@oakfield.sch.uk' },
    ]);
    expect(await actionsFor(hold.id)).toContain('dsl@oakfield.sch.uk finding.feedback');
    expect((await get(h.app, dsl, `/holds/${hold.id}`)).body).toContain('You marked this as not a concern');
    const admin = await signIn(h.app, 'admin@oakfield.sch.uk');
    const adminPage = await get(h.app, admin, '/admin');
    expect(adminPage.body).toMatch(/personal-mobile<\/td>\s*<td>\d+<\/td>\s*<td>\s*1 \(/);
  });

  it('answers 404 for a finding that does not exist', async () => {
    const hold = await putPhoneHold(h.store);
    expect((await post(h.app, dsl, `/holds/${hold.id}/findings/9/not-a-concern`)).statusCode).toBe(404);
  });
});

describe("the sender's earlier held messages", () => {
  it('lists earlier holds to the same recipient apart from those to others', async () => {
    const sender = 'pattern@oakfield.sch.uk';
    const pupil = { address: 'target@students.oakfield.sch.uk', class: 'pupil' as const };
    const other = { address: 'other@students.oakfield.sch.uk', class: 'pupil' as const };
    const t0 = Date.now() - 5 * 86_400_000;
    const first = await makeHold({
      mailFrom: sender,
      to: [pupil],
      subject: 'First to target',
      text: 'call 07700 900123',
      flags: [{ text: '07700 900123', rule: 'personal-mobile', category: 'contact-details', severity: 'high' }],
      receivedAt: new Date(t0),
    });
    const second = await makeHold({
      mailFrom: sender,
      to: [other],
      subject: 'To someone else',
      text: 'call 07700 900123',
      flags: [{ text: '07700 900123', rule: 'personal-mobile', category: 'contact-details', severity: 'high' }],
      receivedAt: new Date(t0 + 3_600_000),
    });
    const latest = await makeHold({
      mailFrom: sender,
      to: [pupil],
      subject: 'Latest',
      text: 'call 07700 900123',
      flags: [{ text: '07700 900123', rule: 'personal-mobile', category: 'contact-details', severity: 'high' }],
    });
    for (const hold of [first, second, latest]) await h.store.putHold(hold);
    const body = (await get(h.app, dsl, `/holds/${latest.id}`)).body;
    expect(body).toContain('1 earlier held message to the same');
    expect(body.indexOf('First to target')).toBeLessThan(body.indexOf('To other recipients'));
    expect(body.indexOf('To someone else')).toBeGreaterThan(body.indexOf('To other recipients'));
  });
});
