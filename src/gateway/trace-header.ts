// The Received line the relay adds to every message it accepts (RFC 5321 4.4 requires one of each server a message
// passes through): who handed it over, to which host, how, under which id, and when. It also feeds mail-loop counting.

/** The SMTP session a message came in on, as the trace line records it. */
export interface TraceSession {
  /** The name the client gave in HELO/EHLO (or Postfix's XFORWARD HELO); absent when it gave none. */
  helo?: string;
  /** The client's IP address (the original client when Postfix forwarded it with XFORWARD). */
  remoteAddress: string;
  /** RFC 3848 protocol: SMTP, ESMTP, ESMTPS, ESMTPA or ESMTPSA. */
  protocol: string;
}

export interface TraceStamp {
  /** This relay's name (smtp.hostname). */
  by: string;
  /** The hold or queue id, as in the SMTP reply and X-Chaperone-Id. */
  id: string;
  rcptTo: readonly string[];
  at: Date;
}

/** A HELO name is the client's say-so: anything but host-name characters is shown as '?', and it is cut to a host name's length. */
const MAX_NAME_LENGTH = 255;
const PROTOCOLS = new Set(['SMTP', 'ESMTP', 'ESMTPS', 'ESMTPA', 'ESMTPSA']);

function hostName(name: string): string {
  return name.slice(0, MAX_NAME_LENGTH).replace(/[^A-Za-z0-9.\-_:[\]]/g, '?');
}

/** RFC 5321 address literal: [192.0.2.1] or [IPv6:2001:db8::1]. */
function addressLiteral(address: string): string {
  const clean = address.replace(/[^0-9A-Fa-f:.]/g, '');
  return clean.includes(':') ? `[IPv6:${clean}]` : `[${clean}]`;
}

/** RFC 5322 date-time, in UTC: Mon, 02 Mar 2026 09:00:00 +0000. */
export function rfc5322Date(at: Date): string {
  return at.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * The Received field's value, folded onto three lines with `eol`. "for" names the recipient only when there is one:
 * listing several would tell each recipient who else was sent the message (Bcc included).
 */
export function receivedValue(session: TraceSession, stamp: TraceStamp, eol = '\r\n'): string {
  const literal = session.remoteAddress === '' ? undefined : addressLiteral(session.remoteAddress);
  const helo = session.helo === undefined || session.helo === '' ? (literal ?? 'unknown') : hostName(session.helo);
  const protocol = PROTOCOLS.has(session.protocol) ? session.protocol : 'ESMTP';
  const only = stamp.rcptTo.length === 1 ? stamp.rcptTo[0]! : undefined;
  // A recipient is quoted only if it is plain printable ASCII; anything else is left out rather than altered.
  const recipient = only !== undefined && /^[\x21-\x7e]{1,320}$/.test(only) && !/[<>]/.test(only) ? only : undefined;
  return [
    literal === undefined ? `from ${helo}` : `from ${helo} (${literal})`,
    `\tby ${hostName(stamp.by)} (Chaperone) with ${protocol} id ${hostName(stamp.id)}`,
    `\t${recipient === undefined ? '' : `for <${recipient}>`}; ${rfc5322Date(stamp.at)}`,
  ].join(eol);
}

function lineBreakOf(raw: Buffer): string {
  const lf = raw.indexOf(0x0a);
  return lf > 0 && raw[lf - 1] === 0x0d ? '\r\n' : lf === -1 ? '\r\n' : '\n';
}

/**
 * This relay's Received line for `raw`, in the message's own line breaks, to go on top of it (earlier Received lines
 * stay as they are). Returned apart from the message so it is joined to it in one copy, with any other added headers.
 */
export function receivedLine(raw: Buffer, session: TraceSession, stamp: TraceStamp): Buffer {
  const eol = lineBreakOf(raw);
  return Buffer.from(`Received: ${receivedValue(session, stamp, eol)}${eol}`, 'latin1');
}
