// Deciding again on a message already decided (a double click, a second tab, the back button): the reviewer is told
// what happened, by whom and when, not that "someone else decided first".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, post, putPhoneHold, signIn, startHarness, type Harness, type SignedIn } from './fixtures.js';

let h: Harness;
let dsl: SignedIn;
let colleague: SignedIn;

beforeAll(async () => {
  h = await startHarness();
  await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
  await addUser(h.store, 'second.dsl@oakfield.sch.uk', ['dsl']);
  dsl = await signIn(h.app, 'dsl@oakfield.sch.uk');
  colleague = await signIn(h.app, 'second.dsl@oakfield.sch.uk');
});
afterAll(async () => h.close());

/** The page's words without tags or line breaks. */
function words(body: string): string {
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function hhmm(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' }).format(at);
}

describe('deciding again on a decided message', () => {
  it('tells a DSL who releases twice that they already released it, and when', async () => {
    h.clock.now = new Date();
    const hold = await putPhoneHold(h.store);
    expect((await post(h.app, dsl, `/holds/${hold.id}/release`)).statusCode).toBe(303);
    const again = await post(h.app, dsl, `/holds/${hold.id}/release`);
    expect(again.statusCode).toBe(409);
    const text = words(again.body);
    expect(text).toContain('You have already decided on this message');
    expect(text).toContain(`This message was already released by you at ${hhmm(h.clock.now)}.`);
    expect(text).not.toMatch(/someone/i);
  });

  it('tells a colleague who decided and when, naming the earlier decision', async () => {
    h.clock.now = new Date();
    const hold = await putPhoneHold(h.store);
    await post(h.app, dsl, `/holds/${hold.id}/reject`, { reason: 'Personal number' });
    const late = await post(h.app, colleague, `/holds/${hold.id}/release`);
    expect(late.statusCode).toBe(409);
    expect(words(late.body)).toContain(
      `This message was already rejected by dsl@oakfield.sch.uk at ${hhmm(h.clock.now)}.`,
    );
    expect((await h.store.getHold(hold.id))?.state).toBe('rejected');
  });
});
