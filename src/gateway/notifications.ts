// E-mails Chaperone sends about held mail: to the DSLs (at once or in a daily digest), to deputies when an item is
// overdue, and to the sender (held; not sent). None carries the held message, its subject or the flagged words:
// a notice can be forwarded, read over a shoulder or land in a shared mailbox.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { SEVERITIES, type Severity } from '../classifier/types.js';
import type { HeldItem, HoldStore } from './hold-store.js';
import type { Upstream } from './upstream.js';
import { CATEGORY_LABELS, RECIPIENT_CLASS_LABELS, SEVERITY_LABELS } from './review/labels.js';
import { isOverdue } from './review/overdue.js';
import { formatDateTime, waitingFor } from './review/time-format.js';

export interface Notifier {
  /**
   * Called by the relay once a hold is committed. Returns at once: the notices go out in the background and a failure
   * is logged and retried by the scheduler (sendPending), so a slow or broken upstream never delays the relay.
   */
  holdCreated(item: HeldItem): void;
  /** Immediate DSL notices not yet sent (failed, or the process stopped first). Returns how many items were notified. */
  sendPending(now: Date): Promise<number>;
  /** One e-mail listing the held items below `notifications.immediate` not yet notified. */
  sendDigest(now: Date): Promise<number>;
  /** One e-mail to deputies and DSLs listing items that became overdue since the last one; each item is re-notified once. */
  sendOverdue(now: Date): Promise<number>;
  /** Tells the sender a rejected message was not sent, with the advice of the rules that fired. */
  rejectionNotice(item: HeldItem): Promise<boolean>;
  /** Resolves when background notices started so far have finished (for shutdown and tests). */
  settled(): Promise<void>;
}

export interface NotifierDeps {
  config: Config;
  store: HoldStore;
  upstream: Upstream;
  logger: Logger;
}

/** Items looked at per scheduler pass; a queue longer than this is caught up over the following passes. */
export const MAX_ITEMS_PER_PASS = 500;
/**
 * A hold younger than this is left to the relay that stored it: its immediate notice may still be on the way (an
 * upstream can take upstreamOptions.timeoutSeconds, 60 by default, to answer), and the scheduler of another instance
 * sharing the store, which cannot see that, would send a second copy.
 */
export const PENDING_GRACE_MS = 2 * 60_000;
/** Items listed in one digest or overdue e-mail (the rest are in the app, and in the next e-mail). */
export const MAX_ITEMS_PER_EMAIL = 100;

const SEVERITY_RANK: Record<Severity, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<
  Severity,
  number
>;

interface Notice {
  to: string[];
  subject: string;
  text: string;
  kind: string;
}

function recipientsSummary(item: HeldItem): string {
  const counts = new Map<string, number>();
  for (const r of item.recipients) counts.set(r.class, (counts.get(r.class) ?? 0) + 1);
  const parts = [...counts].map(([cls, n]) => {
    const label = RECIPIENT_CLASS_LABELS[cls as keyof typeof RECIPIENT_CLASS_LABELS] ?? cls;
    return `${n} ${label}${n === 1 ? '' : label.endsWith('school') ? '' : 's'}`;
  });
  return parts.length > 0 ? parts.join(', ') : `${item.envelope.rcptTo.length} recipient(s)`;
}

function categoriesText(item: HeldItem): string {
  if (item.reason !== 'flagged') return 'The message could not be read or checked, so it was held to be safe';
  return item.categories.map((c) => CATEGORY_LABELS[c]).join('; ') || 'Flagged by the safeguarding rules';
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const { config, store, upstream, logger } = deps;
  const inFlight = new Map<string, Promise<void>>();
  // Read at each notice, not once: `config` follows reloads (live-config.ts), so a new DSL address, sender or
  // organisation name applies to the next e-mail.
  const fromHeader = (): string => config.notifications.from ?? `Chaperone <chaperone@${config.smtp.hostname}>`;
  const org = (): string => config.organisation.name;
  let warnedNoDsl = false;

  function link(item: HeldItem): string {
    const base = config.review.publicUrl;
    return base
      ? `${base.replace(/\/+$/, '')}/holds/${encodeURIComponent(item.id)}`
      : `Open the review app and look for reference ${item.id}.`;
  }

  function itemBlock(item: HeldItem, now: Date): string {
    return [
      `Reference:   ${item.id}`,
      `From:        ${item.envelope.mailFrom || '(no sender address)'}`,
      `To:          ${recipientsSummary(item)}`,
      `Held:        ${formatDateTime(item.receivedAt)} (waiting ${waitingFor(item.receivedAt, now)})`,
      `Why:         ${categoriesText(item)}`,
      `How serious: ${SEVERITY_LABELS[item.severity]}`,
      `Review it:   ${link(item)}`,
    ].join('\n');
  }

  const signature = (): string[] => ['', '--', `Sent by Chaperone, ${org()}'s safeguarding check on outgoing e-mail.`];
  /** For DSLs and deputies, who can read the held message in the review app. */
  const footer = (): string =>
    [
      ...signature(),
      `The held message and its subject are left out of this e-mail on purpose: ${
        config.review.publicUrl ? 'open the link' : 'open the review app'
      } to read them.`,
    ].join('\n');
  /** For the sender, who has no access to the review app: whom to ask instead. */
  const senderFooter = (): string =>
    [
      ...signature(),
      "If you have a question about it, ask your school's Designated Safeguarding Lead (DSL), giving the reference above.",
    ].join('\n');

  /** One e-mail listing held items (a digest or an overdue reminder); marks them notified once it is accepted. */
  async function sendItemList(
    now: Date,
    due: HeldItem[],
    to: string[],
    mark: 'dsl' | 'overdue',
    notice: { kind: string; subject: string; intro: string[] },
  ): Promise<number> {
    if (due.length === 0 || to.length === 0) return 0;
    const text = [...notice.intro, '', due.map((item) => itemBlock(item, now)).join('\n\n'), footer()].join('\n');
    const sent = await send(
      { to, kind: notice.kind, subject: notice.subject, text },
      due.map((item) => item.id),
    );
    if (!sent) return 0;
    for (const item of due) await store.markNotified(item.id, mark, now);
    return due.length;
  }

  async function send(notice: Notice, holdIds: string[]): Promise<boolean> {
    const from = fromHeader();
    const envelopeFrom = /<([^<>]+)>/.exec(from)?.[1] ?? from;
    const raw = await new MailComposer({
      from,
      to: notice.to,
      subject: notice.subject,
      text: notice.text,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Chaperone-Notice': notice.kind },
    })
      .compile()
      .build();
    const result = await upstream.deliver({ from: envelopeFrom, to: notice.to }, raw);
    if (!result.ok) {
      logger.warn({ notice: notice.kind, holds: holdIds, response: result.response }, 'notification not delivered');
      return false;
    }
    for (const holdId of holdIds) {
      await store.appendAudit({
        at: new Date(),
        actor: 'system',
        action: 'notice.sent',
        holdId,
        detail: { kind: notice.kind, recipients: notice.to.length },
      });
    }
    logger.info({ notice: notice.kind, holds: holdIds }, 'notification sent');
    return true;
  }

  function dslAddresses(): string[] {
    if (config.notifications.dsl.length === 0 && !warnedNoDsl) {
      warnedNoDsl = true;
      logger.warn('notifications.dsl is empty: nobody is e-mailed about held messages');
    }
    return config.notifications.dsl;
  }

  function isImmediate(item: HeldItem): boolean {
    return SEVERITY_RANK[item.severity] >= SEVERITY_RANK[config.notifications.immediate];
  }

  async function notifyDslNow(item: HeldItem, now: Date): Promise<boolean> {
    const to = dslAddresses();
    if (to.length === 0) return false;
    const sent = await send(
      {
        to,
        kind: 'held',
        subject: `Chaperone: a message is waiting for your review (${SEVERITY_LABELS[item.severity]})`,
        text: [`A message has been held and is waiting for a decision.`, '', itemBlock(item, now), footer()].join('\n'),
      },
      [item.id],
    );
    if (sent) await store.markNotified(item.id, 'dsl', now);
    return sent;
  }

  async function notifySenderHeld(item: HeldItem): Promise<void> {
    const sender = item.envelope.mailFrom;
    if (!config.notifications.notifySender || sender === '') return;
    await send(
      {
        to: [sender],
        kind: 'sender-held',
        subject: 'Your e-mail is being checked before it is delivered',
        text: [
          `Your e-mail to ${item.envelope.rcptTo.join(', ')}, sent ${formatDateTime(item.receivedAt)}, has been held by ${org()}'s`,
          'safeguarding check and has not been delivered yet.',
          '',
          "What happens next: the school's Designated Safeguarding Lead (DSL) will look at it. If they release it, it is",
          'delivered to its recipients as you wrote it. If not, it is not delivered, and the DSL may talk to you about it.',
          '',
          'You do not need to do anything, and please do not send it again.',
          'If you have a question about it, ask your DSL, giving the reference below.',
          '',
          `Reference: ${item.id}`,
          ...signature(),
        ].join('\n'),
      },
      [item.id],
    );
  }

  async function afterHold(item: HeldItem): Promise<void> {
    try {
      if (isImmediate(item)) await notifyDslNow(item, new Date());
    } catch (error) {
      logger.warn({ err: error, hold: item.id }, 'DSL notification failed; the scheduler will retry');
    }
    try {
      await notifySenderHeld(item);
    } catch (error) {
      logger.warn({ err: error, hold: item.id }, 'sender notification failed');
    }
  }

  async function waitingItems(): Promise<HeldItem[]> {
    return store.listHolds({ states: ['held'], limit: MAX_ITEMS_PER_PASS });
  }

  return {
    holdCreated(item) {
      const work = afterHold(item).finally(() => inFlight.delete(item.id));
      inFlight.set(item.id, work);
    },

    async sendPending(now) {
      let sent = 0;
      for (const item of await waitingItems()) {
        if (item.dslNotifiedAt || !isImmediate(item) || inFlight.has(item.id)) continue;
        if (now.getTime() - item.receivedAt.getTime() < PENDING_GRACE_MS) continue;
        if (await notifyDslNow(item, now)) sent++;
        else break;
      }
      return sent;
    },

    async sendDigest(now) {
      const due = (await waitingItems())
        .filter((item) => !item.dslNotifiedAt && !isImmediate(item))
        .slice(0, MAX_ITEMS_PER_EMAIL)
        .reverse();
      return sendItemList(now, due, dslAddresses(), 'dsl', {
        kind: 'digest',
        subject: `Chaperone: ${due.length} held message${due.length === 1 ? '' : 's'} waiting for review`,
        intro: [
          `${due.length === 1 ? 'This message is' : 'These messages are'} held and waiting for a decision (oldest first).`,
        ],
      });
    },

    async sendOverdue(now) {
      const hours = config.review.escalateAfterHours;
      const due = (await waitingItems())
        .filter((item) => !item.overdueNotifiedAt && isOverdue(item, hours, now))
        .slice(0, MAX_ITEMS_PER_EMAIL)
        .reverse();
      const to = [...new Set([...config.review.deputies, ...dslAddresses()].map((a) => a.toLowerCase()))];
      return sendItemList(now, due, to, 'overdue', {
        kind: 'overdue',
        subject: `Chaperone: ${due.length} held message${due.length === 1 ? ' is' : 's are'} overdue for a decision`,
        intro: [
          `${due.length === 1 ? 'This message has' : 'These messages have'} waited more than ${hours} school-day hours for a decision.`,
          'Please review, or ask a deputy to: held mail is never sent or deleted without a decision.',
        ],
      });
    },

    async rejectionNotice(item) {
      const sender = item.envelope.mailFrom;
      if (sender === '') return false;
      const advice = [...new Set(item.verdict.findings.map((f) => f.advice).filter((a) => a.trim() !== ''))];
      const adviceText =
        advice.length > 0
          ? ['What to do instead:', ...advice.map((a) => `- ${a}`)]
          : ['If you are unsure why, please ask your DSL.'];
      return send(
        {
          to: [sender],
          kind: 'sender-rejected',
          subject: 'Your e-mail was not delivered',
          text: [
            `Your e-mail to ${item.envelope.rcptTo.join(', ')}, sent ${formatDateTime(item.receivedAt)}, was reviewed by`,
            `${org()}'s Designated Safeguarding Lead and has not been delivered.`,
            '',
            ...adviceText,
            '',
            `Reference: ${item.id}`,
            senderFooter(),
          ].join('\n'),
        },
        [item.id],
      );
    },

    async settled() {
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
