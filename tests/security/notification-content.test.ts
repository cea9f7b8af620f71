// Chaperone's own e-mails land in shared mailboxes, on phones and in forwards: none may carry the held message, its
// subject, the flagged words or the attachment names. Each notice is decoded (headers, text, any HTML or attachment)
// before looking, so an encoding cannot hide a leak from the test.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeldItem } from '../../src/gateway/hold-store.js';
import { makeHold, outboxMessages, startHarness, type Harness } from '../gateway/review/fixtures.js';

/** Words only the held message has: in its subject, body, HTML, flagged passage and attachment name. */
const MARKERS = ['Café-Żółw', 'Wombat-Secret', '07700 900123', 'Lantern-Attachment', 'Heron-Html'];

let h: Harness;

async function held(severity: 'high' | 'low', receivedAt = new Date()): Promise<HeldItem> {
  const hold = await makeHold({
    subject: `Our ${MARKERS[0]} plan`,
    text: `Dear Sam, ${MARKERS[1]}: text me on ${MARKERS[2]} ✨`,
    html: `<p>Dear Sam, ${MARKERS[1]}: text me on ${MARKERS[2]} <b>${MARKERS[4]}</b></p>`,
    attachments: [{ filename: `${MARKERS[3]}.pdf`, content: 'x' }],
    flags: [{ text: MARKERS[2] as string, rule: 'personal-mobile', category: 'contact-details', severity }],
    receivedAt,
  });
  await h.store.putHold(hold);
  return (await h.store.getHold(hold.id)) as HeldItem;
}

async function decodedNotices(): Promise<{ to: string[]; everything: string }[]> {
  const out = [];
  for (const message of await outboxMessages(h.outbox)) {
    const parsed = await simpleParser(message.raw);
    const headers = [...parsed.headers.entries()].map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
    const attachments = parsed.attachments.map((a) => `${a.filename ?? ''}\n${a.content.toString('utf8')}`).join('\n');
    out.push({
      to: message.envelope.to,
      everything: [headers, parsed.subject ?? '', parsed.text ?? '', parsed.html || '', attachments].join('\n'),
    });
  }
  return out;
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('notices about held mail', () => {
  it('leave out the message, its subject, the flagged words and attachment names, in every kind of notice', async () => {
    const urgent = await held('high');
    h.notifier.holdCreated(urgent);
    await h.notifier.settled();
    await held('low');
    expect(await h.notifier.sendDigest(new Date())).toBeGreaterThan(0);
    await held('low', new Date(Date.now() - 10 * 86_400_000));
    expect(await h.notifier.sendOverdue(new Date())).toBeGreaterThan(0);
    expect(await h.notifier.rejectionNotice(urgent)).toBe(true);

    const notices = await decodedNotices();
    const kinds = notices.map((n) => /x-chaperone-notice: "([^"]+)"/.exec(n.everything)?.[1]);
    expect(kinds.sort()).toEqual(['digest', 'held', 'overdue', 'sender-held', 'sender-rejected']);
    for (const notice of notices) {
      for (const marker of MARKERS)
        expect(notice.everything, `${marker} in a notice to ${notice.to}`).not.toContain(marker);
      expect(notice.everything).toMatch(/Reference: +[0-9A-Z]{9}-[0-9A-Z]{6}/);
    }
  });
});
