// One message's straight path once DATA is in: recipient classes -> policy -> screen -> decide -> deliver or hold.
// The reply is 250 only once the upstream has accepted the message or the hold is committed; otherwise a 4xx or 5xx.
import { performance } from 'node:perf_hooks';
import { decide, type Decision } from './decide.js';
import { readDisplayHeaders } from './display-headers.js';
import { countHops, MAX_HOPS } from './hop-count.js';
import type { EnvelopeRules } from './envelope-check.js';
import type { Envelope, HeldItem, HoldStore, NewHold, RecipientSummary } from './hold-store.js';
import { newHoldId } from './ids.js';
import { logMessageDecision, type Logger, type MessageDecisionRecord } from './logger.js';
import { messagePolicy, type PolicySettings } from './policy.js';
import type { RecipientDirectory } from './recipient-directory.js';
import type { ScreenResult } from './screen-result.js';
import type { Screener, ScreeningRules } from './screener.js';
import type { ScreeningGate } from './screening-gate.js';
import { replies, type SmtpReply } from './smtp-replies.js';
import type { DeliveryResult, Upstream } from './upstream.js';
import { receivedLine } from './trace-header.js';
import { addHeaders, ID_HEADER, VERDICT_HEADER, verdictHeaderValue } from './verdict-header.js';

/** Everything a reload replaces at once; a message uses the set that was current when its DATA ended. */
export interface RelayState {
  /** smtp.hostname: this relay's name in the Received line. */
  hostname: string;
  envelope: EnvelopeRules;
  directory: RecipientDirectory;
  policy: PolicySettings;
  /** The rule set messages are screened with, compiled by the screener. */
  screen: ScreeningRules;
}

export interface HoldNotifier {
  holdCreated(item: HeldItem): void;
}

export interface RelayDeps {
  state(): RelayState;
  screener: Screener;
  /** Bounds the bytes screened at once (see screening-gate.ts); without one, messages are screened as they come. */
  gate?: ScreeningGate;
  store: HoldStore;
  upstream: Upstream;
  notifier?: HoldNotifier;
  logger: Logger;
  now?: () => Date;
}

export interface IncomingMessage {
  envelope: Envelope;
  raw: Buffer;
  /** The SMTP session id, to tie the message line to the connection's lines. */
  session: string;
  /** RFC 3848 protocol of the session for the Received line (default ESMTP). */
  protocol?: string;
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 100) / 100;
}

function deliveryReply(result: DeliveryResult, id: string): SmtpReply {
  if (result.ok) return replies.delivered(id);
  if (result.permanent) return replies.upstreamRefused(result.response);
  if (result.deliveredTo !== undefined && result.deliveredTo > 0)
    return replies.upstreamPartlyDeferred(result.response);
  return result.code === undefined ? replies.upstreamUnavailable() : replies.upstreamDeferred(result.response);
}

function heldItemOf(hold: NewHold): HeldItem {
  const { raw, ...rest } = hold;
  return { ...rest, state: 'held', categories: hold.verdict.categories, score: hold.verdict.score, size: raw.length };
}

export async function relayMessage(deps: RelayDeps, message: IncomingMessage): Promise<SmtpReply> {
  const started = performance.now();
  const receivedAt = (deps.now ?? (() => new Date()))();
  const state = deps.state();
  const id = newHoldId(receivedAt);
  const { envelope, raw } = message;

  const hops = countHops(raw);
  if (hops >= MAX_HOPS) {
    const reply = replies.mailLoop(hops);
    deps.logger.warn(
      { event: 'mail-loop', id, session: message.session, sender: envelope.mailFrom, hops },
      'refused a message that is going round in a loop',
    );
    return reply;
  }

  // Hops are counted on the message as it came in (as Postfix's hopcount_limit does); ours is added below, so a
  // message that comes round again counts it. The line is built now and joined to the message once, below.
  const received = receivedLine(
    raw,
    {
      helo: envelope.clientHostname,
      remoteAddress: envelope.remoteAddress ?? '',
      protocol: message.protocol ?? 'ESMTP',
    },
    { by: state.hostname, id, rcptTo: envelope.rcptTo, at: receivedAt },
  );

  const recipients: RecipientSummary[] = envelope.rcptTo.map((address) => ({
    address,
    class: state.directory.classify(address).class,
  }));
  const policy = messagePolicy(state.policy, recipients);

  let screened: ScreenResult | undefined;
  const screenStarted = performance.now();
  if (policy.mode !== 'off') {
    const work = () => deps.screener.screen(raw, policy, state.screen);
    try {
      screened = await (deps.gate === undefined ? work() : deps.gate.run(raw.length, work));
    } catch (error) {
      // Screening could not run at all (its threads keep failing): the sender's MTA keeps the message and retries.
      deps.logger.error(
        { event: 'screening-unavailable', id, session: message.session, error: (error as Error).message },
        'could not screen the message; asked the sender to try again later',
      );
      return replies.screeningUnavailable();
    }
  }
  const screenMs = elapsed(screenStarted);
  const decision: Decision = decide(policy, screened);

  const record: MessageDecisionRecord = {
    id,
    session: message.session,
    client: envelope.remoteAddress ?? '',
    sender: envelope.mailFrom,
    recipients,
    mode: policy.mode,
    action: decision.action,
    outcome: 'delivered',
    rules: decision.screened ? [...new Set(decision.verdict.findings.map((f) => f.rule))] : [],
    size: raw.length,
    timings: { screenMs, totalMs: 0 },
    reply: '',
  };
  if (decision.screened) {
    record.score = decision.verdict.score;
    if (decision.verdict.problems.length > 0) record.problems = decision.verdict.problems;
  }
  if (screened?.error !== undefined) deps.logger.error({ id, error: screened.error }, 'screening failed; holding');

  let reply: SmtpReply;
  if (decision.action === 'hold') {
    const display = readDisplayHeaders(raw);
    const hold: NewHold = {
      id,
      receivedAt,
      envelope,
      recipients,
      from: display.from,
      subject: screened?.subject ?? display.subject,
      reason: decision.reason,
      verdict: decision.verdict,
      severity: decision.severity,
      // Stored with the trace, so a release delivers it as the relay received it.
      raw: Buffer.concat([received, raw]),
    };
    record.reason = decision.reason;
    const storeStarted = performance.now();
    try {
      await deps.store.putHold(hold);
      record.outcome = 'held';
      reply = replies.held(id);
    } catch (error) {
      deps.logger.error({ id, error: error instanceof Error ? error.message : String(error) }, 'hold not stored');
      record.outcome = 'not-stored';
      reply = replies.holdNotStored();
    }
    record.timings.storeMs = elapsed(storeStarted);
    if (record.outcome === 'held' && deps.notifier !== undefined) {
      const notifier = deps.notifier;
      // After the reply is on its way: a notice never delays or fails the relay.
      setImmediate(() => {
        try {
          notifier.holdCreated(heldItemOf(hold));
        } catch (error) {
          deps.logger.error(
            { id, error: error instanceof Error ? error.message : String(error) },
            'hold notice failed',
          );
        }
      });
    }
  } else {
    const outgoing = decision.screened
      ? addHeaders(
          raw,
          [
            [VERDICT_HEADER, verdictHeaderValue({ ...decision.verdict, action: decision.action })],
            [ID_HEADER, id],
          ],
          received,
        )
      : Buffer.concat([received, raw]);
    const deliverStarted = performance.now();
    const result = await deps.upstream.deliver({ from: envelope.mailFrom, to: envelope.rcptTo }, outgoing);
    record.timings.deliverMs = elapsed(deliverStarted);
    record.upstream = result.response;
    record.outcome = result.ok ? 'delivered' : result.permanent ? 'refused' : 'deferred';
    reply = deliveryReply(result, id);
  }
  record.timings.totalMs = elapsed(started);
  record.reply = `${reply.code} ${reply.enhanced}`;
  logMessageDecision(deps.logger, record);
  return reply;
}
