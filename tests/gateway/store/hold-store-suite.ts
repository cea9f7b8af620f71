// The behaviour every HoldStore must have, written once and run against SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HoldNotFoundError, UserNotFoundError } from '../../../src/gateway/hold-rows.js';
import { StateConflictError, type HoldStore } from '../../../src/gateway/hold-store.js';
import { SchemaTooNewError, type Migration } from '../../../src/gateway/migrations/migration.js';
import { makeHold, makeUser, rawMessage } from './fixtures.js';

export interface StoreUnderTest {
  store: HoldStore;
  /** A second, independent connection to the same database (as a second relay or the CLI would have). */
  connectAgain(): Promise<HoldStore>;
  /** Runs SQL directly against the database, bypassing the store. */
  exec(sql: string): Promise<void>;
  schemaVersion(): Promise<number>;
  /** The store's own migrations, and a connection to the same database that migrates with a different list. */
  migrations: readonly Migration[];
  connectWith(migrations: readonly Migration[]): Promise<HoldStore>;
  cleanup(): Promise<void>;
}

export function describeHoldStore(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`${name} hold store`, () => {
    let t: StoreUnderTest;
    let store: HoldStore;
    const others: HoldStore[] = [];

    beforeEach(async () => {
      t = await create();
      store = t.store;
    });
    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await t.cleanup();
    });

    async function second(): Promise<HoldStore> {
      const other = await t.connectAgain();
      others.push(other);
      return other;
    }

    it('returns a held message and its raw bytes exactly as they were put', async () => {
      const binary = Buffer.concat([
        rawMessage('Caf\u00e9 trip', 'Body'),
        Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0x2e, 0x0d, 0x0a]),
        Buffer.alloc(512 * 1024, 0x41),
      ]);
      const hold = makeHold({ raw: binary, subject: 'Caf\u00e9 trip' });
      await store.putHold(hold);
      const raw = await store.getRaw(hold.id);
      expect(raw !== undefined && raw.equals(binary)).toBe(true);
      const item = await store.getHold(hold.id);
      const { raw: _raw, ...rest } = hold;
      expect(item).toEqual({
        ...rest,
        state: 'held',
        categories: ['contact-details', 'personal-content'],
        score: 20,
        size: binary.length,
      });
    });

    it('answers undefined for an id it does not hold', async () => {
      expect(await store.getHold('0000000AA-BBBBBB')).toBeUndefined();
      expect(await store.getRaw('0000000AA-BBBBBB')).toBeUndefined();
    });

    it('refuses a second hold with the same id, keeping the first', async () => {
      const hold = makeHold();
      await store.putHold(hold);
      await expect(store.putHold({ ...hold, subject: 'Other' })).rejects.toThrow();
      expect((await store.getHold(hold.id))?.subject).toBe(hold.subject);
    });

    it('keeps a subject carrying a NUL character readable', async () => {
      const hold = makeHold({ subject: 'Odd\u0000subject' });
      await store.putHold(hold);
      const item = await store.getHold(hold.id);
      expect(item?.subject).toMatch(/^Odd.subject$/);
    });

    it('records the creation of a hold in the audit log in the same commit', async () => {
      const hold = makeHold();
      await store.putHold(hold);
      const [entry] = await store.listAudit({ holdId: hold.id });
      expect(entry).toMatchObject({
        actor: 'system',
        action: 'hold.created',
        holdId: hold.id,
        remoteAddress: '127.0.0.1',
        detail: { heldFor: 'flagged', rules: ['personal-mobile', 'secrecy-dont-tell-parents'] },
      });
    });

    it('lists newest first, pages with limit and offset, and counts', async () => {
      const base = Date.parse('2025-03-03T09:00:00Z');
      const holds = [0, 1, 2, 3, 4].map((i) => makeHold({ receivedAt: new Date(base + i * 60_000) }));
      for (const hold of [holds[2]!, holds[0]!, holds[4]!, holds[1]!, holds[3]!]) await store.putHold(hold);
      const ids = (await store.listHolds()).map((h) => h.id);
      expect(ids).toEqual(holds.map((h) => h.id).reverse());
      expect((await store.listHolds({ limit: 2, offset: 1 })).map((h) => h.id)).toEqual([holds[3]!.id, holds[2]!.id]);
      expect(await store.countHolds()).toBe(5);
    });

    it('filters by state, category, sender, recipient, time and free text', async () => {
      const at = (minute: number) => new Date(Date.parse('2025-03-03T09:00:00Z') + minute * 60_000);
      const contact = makeHold({
        receivedAt: at(0),
        sender: 'J.Smith@oakfield.sch.uk',
        subject: 'Maths 100% revision_plan',
        rules: [{ rule: 'personal-mobile', category: 'contact-details' }],
      });
      const suggestive = makeHold({
        receivedAt: at(1),
        sender: 'a.jones@oakfield.sch.uk',
        subject: 'Well done',
        recipients: [
          { address: 'Parent.Two@example.com', class: 'parent' },
          { address: 'pupil2@pupils.oakfield.sch.uk', class: 'pupil' },
        ],
        rules: [{ rule: 'appearance-comment', category: 'suggestive' }],
      });
      const escalated = makeHold({ receivedAt: at(2), sender: 'b.brown@oakfield.sch.uk', subject: 'Trip' });
      for (const hold of [contact, suggestive, escalated]) await store.putHold(hold);
      await store.decide(escalated.id, { state: 'escalated', actor: 'dsl@oakfield.sch.uk', reason: 'Head', at: at(3) });

      const ids = async (filter: Parameters<HoldStore['listHolds']>[0]) =>
        (await store.listHolds(filter)).map((h) => h.id);
      expect(await ids({ states: ['held'] })).toEqual([suggestive.id, contact.id]);
      expect(await ids({ states: ['escalated', 'released'] })).toEqual([escalated.id]);
      expect(await ids({ states: [] })).toEqual([]);
      expect(await ids({ category: 'suggestive' })).toEqual([suggestive.id]);
      expect(await ids({ category: 'contact-details' })).toEqual([escalated.id, contact.id]);
      expect(await ids({ sender: 'smith' })).toEqual([contact.id]);
      expect(await ids({ sender: 'J.SMITH@' })).toEqual([contact.id]);
      expect(await ids({ recipient: 'parent.two@EXAMPLE.com' })).toEqual([suggestive.id]);
      expect(await ids({ recipient: 'parent' })).toEqual([]);
      expect(await ids({ receivedAfter: at(1) })).toEqual([escalated.id, suggestive.id]);
      expect(await ids({ receivedBefore: at(1) })).toEqual([contact.id]);
      expect(await ids({ search: 'pupil2@' })).toEqual([suggestive.id]);
      expect(await ids({ search: 'WELL' })).toEqual([suggestive.id]);
      expect(await ids({ search: '100%' })).toEqual([contact.id]);
      expect(await ids({ search: 'n_p' })).toEqual([contact.id]);
      expect(await ids({ search: '%' })).toEqual([contact.id]);
      expect(await store.countHolds({ states: ['held'], category: 'contact-details' })).toBe(1);
    });

    it('moves a hold through escalation to release, keeping who decided and why', async () => {
      const hold = makeHold();
      await store.putHold(hold);
      const at = new Date('2025-03-04T10:00:00Z');
      const escalated = await store.decide(hold.id, { state: 'escalated', actor: 'dsl@x', reason: 'Head to see', at });
      expect(escalated).toMatchObject({ state: 'escalated', decidedBy: 'dsl@x', decisionReason: 'Head to see' });
      const later = new Date('2025-03-04T11:00:00Z');
      const released = await store.decide(hold.id, { state: 'released', actor: 'head@x', at: later });
      expect(released).toMatchObject({ state: 'released', decidedBy: 'head@x', decidedAt: later });
      expect(released.decisionReason).toBeUndefined();
      expect(await store.getHold(hold.id)).toEqual(released);
    });

    it('refuses a decision on a hold another decision already moved, naming its state', async () => {
      const hold = makeHold();
      await store.putHold(hold);
      await store.decide(hold.id, { state: 'rejected', actor: 'a@x', reason: 'No', at: new Date() });
      const again = store.decide(hold.id, { state: 'released', actor: 'b@x', at: new Date() });
      await expect(again).rejects.toBeInstanceOf(StateConflictError);
      await expect(again).rejects.toMatchObject({ holdId: hold.id, actualState: 'rejected' });
      const twice = store.decide(hold.id, { state: 'escalated', actor: 'b@x', at: new Date() }, ['held', 'escalated']);
      await expect(twice).rejects.toBeInstanceOf(StateConflictError);
      await expect(store.decide('0000000AA-BBBBBB', { state: 'released', actor: 'a', at: new Date() })).rejects.toThrow(
        HoldNotFoundError,
      );
    });

    it('lets exactly one of two connections deciding at once win; the other gets a state conflict', async () => {
      const other = await second();
      const holds = Array.from({ length: 8 }, () => makeHold());
      for (const hold of holds) await store.putHold(hold);
      for (const hold of holds) {
        const results = await Promise.allSettled([
          store.decide(hold.id, { state: 'released', actor: 'first@x', at: new Date() }),
          other.decide(hold.id, { state: 'rejected', actor: 'second@x', reason: 'No', at: new Date() }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(StateConflictError);
        const winner = (won[0] as PromiseFulfilledResult<{ state: string }>).value.state;
        expect((await other.getHold(hold.id))?.state).toBe(winner);
      }
    });

    it('lets only one caller claim a failed delivery for a retry, and none once delivered', async () => {
      const hold = makeHold();
      await store.putHold(hold);
      const now = new Date();
      expect(await store.claimDelivery(hold.id, now)).toBe(false);
      await store.decide(hold.id, { state: 'released', actor: 'dsl@x', at: now });
      expect(await store.claimDelivery(hold.id, now)).toBe(false);
      await store.recordDelivery(hold.id, { status: 'failed', at: now, response: '421 try later' });
      expect((await store.getHold(hold.id))?.delivery).toEqual({
        status: 'failed',
        at: now,
        response: '421 try later',
      });
      const other = await second();
      const claims = await Promise.all([store.claimDelivery(hold.id, now), other.claimDelivery(hold.id, now)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const muchLater = new Date(now.getTime() + 60 * 60 * 1000);
      expect(await store.claimDelivery(hold.id, muchLater)).toBe(true);
      await store.recordDelivery(hold.id, { status: 'delivered', at: muchLater, response: '250 OK' });
      expect(await store.claimDelivery(hold.id, new Date(muchLater.getTime() + 86_400_000))).toBe(false);
    });

    it('records when the DSL and overdue notices went out', async () => {
      const hold = makeHold();
      await store.putHold(hold);
      const at = new Date('2025-03-05T16:00:00Z');
      await store.markNotified(hold.id, 'dsl', at);
      await store.markNotified(hold.id, 'overdue', new Date(at.getTime() + 1000));
      expect(await store.getHold(hold.id)).toMatchObject({
        dslNotifiedAt: at,
        overdueNotifiedAt: new Date(at.getTime() + 1000),
      });
      await expect(store.markNotified('0000000AA-BBBBBB', 'dsl', at)).rejects.toThrow(HoldNotFoundError);
    });

    it('appends audit entries and lists them newest first with filters and paging', async () => {
      const at = new Date('2025-03-05T12:00:00Z');
      await store.appendAudit({ at, actor: 'dsl@x', action: 'login', remoteAddress: '10.0.0.5' });
      await store.appendAudit({ at, actor: 'dsl@x', action: 'hold.viewed', holdId: 'H1', detail: { via: 'web' } });
      await store.appendAudit({ at, actor: 'cli:root', action: 'hold.viewed', holdId: 'H2' });
      const all = await store.listAudit();
      expect(all.map((e) => e.action)).toEqual(['hold.viewed', 'hold.viewed', 'login']);
      expect(all[0]!.seq).toBeGreaterThan(all[1]!.seq);
      expect(all[1]).toMatchObject({ at, actor: 'dsl@x', holdId: 'H1', detail: { via: 'web' } });
      expect((await store.listAudit({ actor: 'dsl@x' })).map((e) => e.action)).toEqual(['hold.viewed', 'login']);
      expect((await store.listAudit({ holdId: 'H2' })).map((e) => e.actor)).toEqual(['cli:root']);
      expect((await store.listAudit({ beforeSeq: all[0]!.seq, limit: 1 })).map((e) => e.seq)).toEqual([all[1]!.seq]);
    });

    it('refuses to change or delete audit entries, even with direct SQL', async () => {
      await store.appendAudit({ at: new Date(), actor: 'dsl@x', action: 'hold.released', holdId: 'H1' });
      await expect(t.exec("UPDATE audit SET actor = 'someone-else'")).rejects.toThrow(/append-only/);
      await expect(t.exec('DELETE FROM audit')).rejects.toThrow(/append-only/);
      expect((await store.listAudit())[0]?.actor).toBe('dsl@x');
    });

    it('purges finished decisions before the cut-off with their messages, keeping the audit trail', async () => {
      const old = new Date('2025-01-01T10:00:00Z');
      const recent = new Date('2025-03-01T10:00:00Z');
      const cutOff = new Date('2025-02-01T00:00:00Z');
      const [rejected, delivered, failed, escalated, held, recentRejected] = Array.from({ length: 6 }, () =>
        makeHold({ receivedAt: old }),
      ) as [ReturnType<typeof makeHold>, ...ReturnType<typeof makeHold>[]];
      for (const hold of [rejected, delivered, failed, escalated, held, recentRejected]) await store.putHold(hold!);
      await store.decide(rejected.id, { state: 'rejected', actor: 'dsl@x', reason: 'No', at: old });
      await store.decide(delivered!.id, { state: 'released', actor: 'dsl@x', at: old });
      await store.recordDelivery(delivered!.id, { status: 'delivered', at: old, response: '250 OK' });
      await store.decide(failed!.id, { state: 'released', actor: 'dsl@x', at: old });
      await store.recordDelivery(failed!.id, { status: 'failed', at: old, response: '550 no such user' });
      await store.decide(escalated!.id, { state: 'escalated', actor: 'dsl@x', reason: 'Head', at: old });
      await store.decide(recentRejected!.id, { state: 'rejected', actor: 'dsl@x', reason: 'No', at: recent });
      await store.addFeedback({
        holdId: rejected.id,
        findingIndex: 0,
        rule: 'personal-mobile',
        actor: 'dsl@x',
        at: old,
        verdict: 'not-a-concern',
      });

      expect(await store.purgeDecided(cutOff)).toBe(2);
      expect(await store.getHold(rejected.id)).toBeUndefined();
      expect(await store.getRaw(delivered!.id)).toBeUndefined();
      const left = (await store.listHolds()).map((h) => h.id).sort();
      expect(left).toEqual([failed!.id, escalated!.id, held!.id, recentRejected!.id].sort());
      expect((await store.listAudit({ holdId: rejected.id })).map((e) => e.action)).toEqual(['hold.created']);
      expect(await store.listFeedback(rejected.id)).toEqual([]);
      expect(await store.purgeDecided(cutOff)).toBe(0);
    });

    it('lets exactly one of several instances claim each run of a scheduled job', async () => {
      const [a, b, c] = [store, await second(), await second()];
      const at = new Date('2026-03-02T16:00:30Z');
      const claims = await Promise.all([a, b, c, a, b, c].map((s) => s.claimJobRun('digest', '2026-03-02T16:00', at)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      // Another period, or another job in the same period, is a run of its own.
      expect(await b.claimJobRun('digest', '2026-03-03T16:00', at)).toBe(true);
      expect(await c.claimJobRun('overdue', '2026-03-02T16:00', at)).toBe(true);
      // Old claims are forgotten once a newer run of the job is claimed (the period is never reused).
      const later = new Date(at.getTime() + 3 * 24 * 60 * 60 * 1000);
      expect(await a.claimJobRun('digest', '2026-03-10T16:00', later)).toBe(true);
      expect(await a.claimJobRun('digest', '2026-03-02T16:00', later)).toBe(true);
    });

    it('keeps finding feedback once per reviewer and counts it per rule', async () => {
      const first = makeHold();
      const second = makeHold({ rules: [{ rule: 'personal-mobile', category: 'contact-details' }] });
      await store.putHold(first);
      await store.putHold(second);
      const at = new Date('2025-03-06T09:00:00Z');
      const feedback = {
        holdId: first.id,
        findingIndex: 0,
        rule: 'personal-mobile',
        actor: 'dsl@x',
        at,
        verdict: 'not-a-concern',
      } as const;
      await store.addFeedback(feedback);
      await store.addFeedback(feedback);
      await store.addFeedback({ ...feedback, actor: 'deputy@x' });
      expect(await store.listFeedback(first.id)).toEqual([{ ...feedback, actor: 'deputy@x' }, feedback]);
      expect(await store.ruleFeedbackCounts()).toEqual([
        { rule: 'personal-mobile', findings: 2, notAConcern: 1 },
        { rule: 'secrecy-dont-tell-parents', findings: 1, notAConcern: 0 },
      ]);
    });

    it('creates, finds, lists and changes users, matching e-mail addresses in any case', async () => {
      const user = makeUser('DSL@Oakfield.sch.uk', ['dsl', 'admin']);
      await store.createUser(user);
      await store.createUser(makeUser('auditor@oakfield.sch.uk', ['auditor']));
      await expect(store.createUser(makeUser('dsl@oakfield.sch.uk'))).rejects.toThrow();
      expect(await store.getUser('dsl@OAKFIELD.sch.uk')).toEqual({ ...user, email: 'dsl@oakfield.sch.uk' });
      expect((await store.listUsers()).map((u) => u.email)).toEqual(['auditor@oakfield.sch.uk', 'dsl@oakfield.sch.uk']);
      const lockedUntil = new Date('2025-03-06T10:15:00Z');
      await store.updateUser('dsl@oakfield.sch.uk', { failedLogins: 5, lockedUntil, roles: ['dsl'] });
      expect(await store.getUser('dsl@oakfield.sch.uk')).toMatchObject({
        failedLogins: 5,
        lockedUntil,
        roles: ['dsl'],
      });
      await store.updateUser('dsl@oakfield.sch.uk', { failedLogins: 0, lockedUntil: undefined, disabled: true });
      const changed = await store.getUser('dsl@oakfield.sch.uk');
      expect(changed).toMatchObject({ failedLogins: 0, disabled: true, passwordHash: user.passwordHash });
      expect(changed?.lockedUntil).toBeUndefined();
      await expect(store.updateUser('nobody@x', { disabled: true })).rejects.toThrow(UserNotFoundError);
      await expect(store.updateUser('nobody@x', {})).rejects.toThrow(UserNotFoundError);
      await store.updateUser('dsl@oakfield.sch.uk', {});
    });

    it('counts failed sign-ins made at once on several connections, each once, locking at the limit', async () => {
      const other = await second();
      await store.createUser(makeUser('dsl@oakfield.sch.uk', ['dsl']));
      const until = new Date(Date.now() + 15 * 60_000);
      const counts = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? store : other).recordFailedLogin('DSL@oakfield.sch.uk', 5, until),
        ),
      );
      // 1, 2, 3, 4, locked, 1, 2, 3, 4, locked, 1, 2: whichever order they ran in.
      expect(counts.filter((c) => c?.locked === true).map((c) => c?.failedLogins)).toEqual([5, 5]);
      const left = counts.filter((c) => c?.locked === false).map((c) => c?.failedLogins);
      expect(left.sort()).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 4, 4]);
      expect(await store.getUser('dsl@oakfield.sch.uk')).toMatchObject({ failedLogins: 2, lockedUntil: until });
      expect(await store.recordFailedLogin('nobody@oakfield.sch.uk', 5, until)).toBeUndefined();
    });

    it('stores sessions, deletes one on logout, sweeps the expired and ends all of one user', async () => {
      await store.createUser(makeUser('dsl@oakfield.sch.uk'));
      const now = new Date('2025-03-06T12:00:00Z');
      const session = (id: string, hoursLeft: number) => ({
        id,
        email: 'dsl@oakfield.sch.uk',
        csrfSecret: `secret-${id}`,
        createdAt: new Date(now.getTime() - 3_600_000),
        expiresAt: new Date(now.getTime() + hoursLeft * 3_600_000),
      });
      await store.createSession(session('live', 2));
      await store.createSession(session('expired', -1));
      await store.createSession(session('logout', 2));
      expect(await store.getSession('live')).toEqual(session('live', 2));
      await store.deleteSession('logout');
      expect(await store.getSession('logout')).toBeUndefined();
      expect(await store.deleteExpiredSessions(now)).toBe(1);
      expect(await store.getSession('expired')).toBeUndefined();
      expect(await store.getSession('live')).toBeDefined();
      await store.createSession(session('second', 2));
      expect(await store.deleteSessionsOf('DSL@oakfield.sch.uk')).toBe(2);
      expect(await store.getSession('live')).toBeUndefined();
    });

    it('applies its migrations once, however often and from however many connections init runs', async () => {
      const version = await t.schemaVersion();
      expect(version).toBeGreaterThanOrEqual(1);
      const hold = makeHold();
      await store.putHold(hold);
      await store.init();
      const other = await second();
      await Promise.all([other.init(), store.init()]);
      expect(await t.schemaVersion()).toBe(version);
      expect((await other.getHold(hold.id))?.id).toBe(hold.id);
    });

    it('upgrades an existing database by applying only the new migration steps, once', async () => {
      const hold = makeHold();
      await store.putHold(hold);
      const next = t.migrations.length + 1;
      const upgraded = [
        ...t.migrations,
        { version: next, name: 'test step', sql: 'CREATE TABLE upgrade_probe (note TEXT NOT NULL)' },
      ];
      const newer = await t.connectWith(upgraded);
      others.push(newer);
      expect(await t.schemaVersion()).toBe(next);
      await t.exec("INSERT INTO upgrade_probe (note) VALUES ('added by the upgrade')");
      const again = await t.connectWith(upgraded);
      others.push(again);
      expect((await again.getHold(hold.id))?.subject).toBe(hold.subject);
      await expect(t.connectWith(t.migrations)).rejects.toBeInstanceOf(SchemaTooNewError);
    });
  });
}
