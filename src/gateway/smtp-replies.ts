// Every SMTP reply the relay gives, with its RFC 3463 enhanced status code and a sentence a sender's mail admin understands.
// A verdict becomes 250 / 451 / 550 here and nowhere else.

/** A reply: basic code (RFC 5321), enhanced code (RFC 3463) and the human text. */
export interface SmtpReply {
  code: number;
  enhanced: string;
  text: string;
}

/** An error smtp-server turns into the reply: `responseCode` is the basic code, the message starts with the enhanced code. */
export class SmtpReplyError extends Error {
  readonly responseCode: number;
  constructor(readonly reply: SmtpReply) {
    super(`${reply.enhanced} ${reply.text}`);
    this.name = 'SmtpReplyError';
    this.responseCode = reply.code;
  }
}

export function replyError(reply: SmtpReply): SmtpReplyError {
  return new SmtpReplyError(reply);
}

/** The text of a success reply, enhanced code first (smtp-server adds the basic code). */
export function replyText(reply: SmtpReply): string {
  return `${reply.enhanced} ${reply.text}`;
}

/** Upstream replies quoted back to clients are cut to this many characters: one readable line, not a transcript. */
const MAX_QUOTED_UPSTREAM_TEXT = 300;

function quoteUpstream(response: string): string {
  const oneLine = response.replace(/[\r\n\t\x00-\x1f\x7f]+/g, ' ').trim();
  return oneLine.length > MAX_QUOTED_UPSTREAM_TEXT ? `${oneLine.slice(0, MAX_QUOTED_UPSTREAM_TEXT)}...` : oneLine;
}

const ENHANCED_CODE = /\b5\.\d{1,3}\.\d{1,3}\b/;

/** The upstream's own 5.x.x code when its reply has one (e.g. 5.1.1 unknown mailbox), else the generic 5.0.0. */
function permanentEnhancedCode(response: string): string {
  return ENHANCED_CODE.exec(response)?.[0] ?? '5.0.0';
}

export const replies = {
  // Connection (RFC 5321 3.1: 554 refuses the session; 421 closes it for now).
  clientNotAllowed: (address: string): SmtpReply => ({
    code: 554,
    enhanced: '5.7.1',
    text: `This relay does not accept mail from ${address}; only the school's own mail servers may send through it (smtp.allowNetworks)`,
  }),
  tooManyConnections: (): SmtpReply => ({
    code: 421,
    enhanced: '4.7.0',
    text: 'Too many connections to this relay at the moment; please try again shortly',
  }),
  tooManyConnectionsFromClient: (address: string): SmtpReply => ({
    code: 421,
    enhanced: '4.7.0',
    text: `Too many connections from ${address} at the moment; please try again shortly`,
  }),
  shuttingDown: (): SmtpReply => ({
    code: 421,
    enhanced: '4.3.2',
    text: 'This relay is restarting; please try again shortly',
  }),
  dataTooSlow: (seconds: number): SmtpReply => ({
    code: 421,
    enhanced: '4.4.2',
    text: `Closing the connection because the message took longer than ${seconds} seconds to send; nothing was kept, please try again`,
  }),
  idleTimeout: (): SmtpReply => ({
    code: 421,
    enhanced: '4.4.2',
    text: 'Closing the connection because nothing was sent for too long',
  }),

  // Authentication and TLS (RFC 4954, RFC 3207).
  tlsRequired: (): SmtpReply => ({
    code: 530,
    enhanced: '5.7.0',
    text: 'This relay only accepts mail over an encrypted connection: send STARTTLS first',
  }),
  authRequired: (): SmtpReply => ({
    code: 530,
    enhanced: '5.7.0',
    text: 'This relay needs you to log in (SMTP AUTH) before sending',
  }),
  authFailed: (): SmtpReply => ({
    code: 535,
    enhanced: '5.7.8',
    text: 'The user name or password was not accepted',
  }),

  // Envelope (RFC 5321 4.2.5; RFC 3463 5.7.1 "delivery not authorized", 4.5.3 "too many recipients").
  senderNotAllowed: (sender: string): SmtpReply => ({
    code: 550,
    enhanced: '5.7.1',
    text: `The sender address <${sender}> is not in a domain this relay sends for (smtp.senderDomains); it is not an open relay`,
  }),
  tooManyRecipients: (max: number): SmtpReply => ({
    code: 452,
    enhanced: '4.5.3',
    text: `Too many recipients: this relay takes at most ${max} per message; send the rest in another message`,
  }),
  messageTooBig: (maxBytes: number): SmtpReply => ({
    code: 552,
    enhanced: '5.3.4',
    text: `The message is larger than this relay accepts (${formatBytes(maxBytes)})`,
  }),

  // The end of DATA: the verdict becomes a reply here.
  delivered: (id: string): SmtpReply => ({
    code: 250,
    enhanced: '2.0.0',
    // True for both upstreams: the school's mail server, or a dir: outbox folder.
    text: `Accepted and passed on for delivery (id ${id})`,
  }),
  held: (id: string): SmtpReply => ({
    code: 250,
    enhanced: '2.0.0',
    text: `Accepted and held for review by the school's safeguarding lead (id ${id})`,
  }),
  upstreamUnavailable: (): SmtpReply => ({
    code: 451,
    enhanced: '4.4.1',
    text: "The school's onward mail server could not be reached; nothing was sent, please try again later",
  }),
  upstreamDeferred: (response: string): SmtpReply => ({
    code: 451,
    enhanced: '4.3.0',
    text: `The school's onward mail server asked us to try later; nothing was sent, please try again (it said: ${quoteUpstream(response)})`,
  }),
  upstreamPartlyDeferred: (response: string): SmtpReply => ({
    code: 451,
    enhanced: '4.3.0',
    text: `The school's onward mail server took the message for some recipients and asked us to try later for the others; please try again, and the recipients who have it may get it twice (it said: ${quoteUpstream(response)})`,
  }),
  upstreamRefused: (response: string): SmtpReply => ({
    code: 550,
    enhanced: permanentEnhancedCode(response),
    text: `The school's onward mail server refused this message (it said: ${quoteUpstream(response)})`,
  }),
  mailLoop: (hops: number): SmtpReply => ({
    code: 554,
    enhanced: '5.4.6',
    text: `The message has passed through ${hops} mail servers, so it is going round in a loop; check the mail routing rules that send mail to this relay`,
  }),
  relayBusy: (): SmtpReply => ({
    code: 452,
    enhanced: '4.3.1',
    text: 'This relay is holding as much mail in memory as it may just now; nothing was sent, please try again shortly',
  }),
  screeningUnavailable: (): SmtpReply => ({
    code: 451,
    enhanced: '4.3.0',
    text: 'The message could not be checked just now; nothing was sent, please try again later',
  }),
  holdNotStored: (): SmtpReply => ({
    code: 451,
    enhanced: '4.3.0',
    text: 'The message could not be stored for review just now; nothing was sent, please try again later',
  }),
  localError: (): SmtpReply => ({
    code: 451,
    enhanced: '4.3.0',
    text: 'The relay hit an internal problem with this message; nothing was sent, please try again later',
  }),
} as const;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * smtp-server's own replies for the limits it enforces, reworded into our sentences with the right enhanced code.
 * Keyed by the context name smtp-server passes with the reply, or by code and text for the ones it sends without one.
 */
export function rewordServerReply(
  code: number,
  text: string,
  context: string | false | undefined,
  limits: { maxSize: number; maxRecipients: number },
): SmtpReply | undefined {
  if (context === 'MESSAGE_TOO_BIG' || (code === 552 && text.includes('maximum message size'))) {
    return replies.messageTooBig(limits.maxSize);
  }
  if (context === 'TOO_MANY_RECIPIENTS') return replies.tooManyRecipients(limits.maxRecipients);
  if (code === 421 && text === 'Server shutting down') return replies.shuttingDown();
  if (code === 421 && text.startsWith('Timeout')) return replies.idleTimeout();
  if (code === 421 && text.endsWith('Too many connected clients, try again in a moment'))
    return replies.tooManyConnections();
  if (code === 538) return replies.tlsRequired();
  return undefined;
}

/** True when a reply text already starts with an enhanced status code, so smtp-server must not add its own. */
export function carriesEnhancedCode(text: string): boolean {
  return /^[245]\.\d{1,3}\.\d{1,3} /.test(text);
}
