// "Nobody decides on their own message", as a DSL who wanted to release their own mail would try to get round it:
// another case, a +tag, the address only in the From header (alone, in a list, in a comment or in a display name that
// hides it), the SMTP login. Checked in the app and in decisions.ts (which the CLI uses), and that other people's
// mail is not caught by mistake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecisionRefusedError, releaseHold } from '../../src/gateway/decisions.js';
import type { Envelope, NewHold } from '../../src/gateway/hold-store.js';
import {
  addUser,
  get,
  makeHold,
  PHONE_FLAG,
  post,
  signIn,
  startHarness,
  type Harness,
  type SignedIn,
} from '../gateway/review/fixtures.js';

const DSL = 'dsl@oakfield.sch.uk';

let h: Harness;
let dsl: SignedIn;

async function holdFrom(envelope: Partial<Envelope>, from: string): Promise<NewHold> {
  const hold = await makeHold({ text: 'Text me on 07700 900123 tonight', flags: [PHONE_FLAG] });
  const withSender = { ...hold, envelope: { ...hold.envelope, ...envelope }, from };
  await h.store.putHold(withSender);
  return withSender;
}

beforeAll(async () => {
  h = await startHarness();
  await addUser(h.store, DSL, ['dsl']);
  dsl = await signIn(h.app, DSL);
});
afterAll(async () => h.close());

const OWN: [string, Partial<Envelope>, string][] = [
  ['the envelope sender in capitals', { mailFrom: 'DSL@Oakfield.SCH.UK' }, 'Someone <someone@oakfield.sch.uk>'],
  ['the envelope sender with a +tag', { mailFrom: 'dsl+trips@oakfield.sch.uk' }, 'Trips <trips@oakfield.sch.uk>'],
  [
    'the SMTP login',
    { mailFrom: 'office@oakfield.sch.uk', authUser: ' dsl@oakfield.sch.uk' },
    'Office <office@oakfield.sch.uk>',
  ],
  ['the From address', { mailFrom: 'office@oakfield.sch.uk' }, 'Head of Year <dsl@oakfield.sch.uk>'],
  ['the From address with a +tag', { mailFrom: 'office@oakfield.sch.uk' }, 'Jo <Dsl+x@oakfield.sch.uk>'],
  ['one of two From addresses', { mailFrom: 'office@oakfield.sch.uk' }, 'dsl@oakfield.sch.uk, office@oakfield.sch.uk'],
  ['a From address with a comment', { mailFrom: 'office@oakfield.sch.uk' }, 'dsl@oakfield.sch.uk (Jo Bloggs)'],
  [
    'a From whose decoded display name shows another address first',
    { mailFrom: 'office@oakfield.sch.uk' },
    'Office <office@oakfield.sch.uk> <dsl@oakfield.sch.uk>',
  ],
  [
    'a From whose display name is the DSL address',
    { mailFrom: 'office@oakfield.sch.uk' },
    '"dsl@oakfield.sch.uk" <office@oakfield.sch.uk>',
  ],
];

describe('a DSL cannot decide on their own message', () => {
  it.each(OWN)('in the app, when it is theirs by %s', async (_label, envelope, from) => {
    const hold = await holdFrom(envelope, from);
    const page = await get(h.app, dsl, `/holds/${hold.id}`);
    expect(page.body).toContain('You sent this message');
    expect(page.body).not.toContain(`action="/holds/${hold.id}/release"`);
    for (const kind of ['release', 'reject', 'escalate']) {
      const response = await post(h.app, dsl, `/holds/${hold.id}/${kind}`, { reason: 'mine, but fine' });
      expect(response.statusCode, kind).toBe(403);
    }
    expect((await post(h.app, dsl, `/holds/${hold.id}/findings/1/not-a-concern`)).statusCode).toBe(403);
    expect((await h.store.getHold(hold.id))?.state).toBe('held');
    expect(await h.store.listFeedback(hold.id)).toEqual([]);
  });

  it.each(OWN)('through decisions.ts (the CLI), when it is theirs by %s', async (_label, envelope, from) => {
    const hold = await holdFrom(envelope, from);
    const attempt = releaseHold(
      { store: h.store, upstream: h.upstream },
      { id: hold.id, actor: 'DSL@oakfield.sch.uk ' },
    );
    await expect(attempt).rejects.toBeInstanceOf(DecisionRefusedError);
    await expect(attempt).rejects.toMatchObject({ code: 'own-message' });
    expect((await h.store.getHold(hold.id))?.state).toBe('held');
  });
});

describe('other people’s mail is still theirs to decide', () => {
  it.each([
    [
      'a longer address that starts the same',
      'dsl.assistant@oakfield.sch.uk',
      'Assistant <dsl.assistant@oakfield.sch.uk>',
    ],
    ['the same name at another domain', 'dsl@oakfield.sch.uk.example', 'X <dsl@oakfield.sch.uk.example>'],
    ['a different mailbox with a +tag', 'office+dsl@oakfield.sch.uk', 'Office <office+dsl@oakfield.sch.uk>'],
  ])('a message from %s', async (_label, mailFrom, from) => {
    const hold = await holdFrom({ mailFrom }, from);
    const response = await post(h.app, dsl, `/holds/${hold.id}/escalate`, { reason: 'to the head' });
    expect(response.statusCode).toBe(303);
    expect((await h.store.getHold(hold.id))?.state).toBe('escalated');
  });
});
