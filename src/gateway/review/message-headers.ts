// The headers a DSL needs to see (From, To, Cc, Date, Subject) and the attachment names, read from the raw message.
// mailparser is loaded when a DSL first opens a message, not when the relay starts: it is ~20 MB of the relay
// process's memory that SMTP traffic never needs.
import type { AddressObject } from 'mailparser';

export interface DisplayHeaders {
  from: string;
  to: string;
  cc: string;
  date?: Date;
  subject: string;
  attachments: string[];
}

/** Attachment names listed; more are summarised as a count. */
const MAX_ATTACHMENTS_LISTED = 50;

/** "Name <address>" for each mailbox, without the quoting mail headers need. */
function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  const mailboxes = (Array.isArray(value) ? value : [value]).flatMap((a) => a.value);
  return mailboxes
    .flatMap((m) => (m.group ? m.group : [m]))
    .map((m) => (m.name ? `${m.name} <${m.address ?? ''}>` : (m.address ?? '')))
    .join(', ');
}

export async function readDisplayHeaders(raw: Buffer): Promise<DisplayHeaders> {
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const names = parsed.attachments.map((a, i) => a.filename ?? `(unnamed attachment ${i + 1}, ${a.contentType})`);
  const attachments =
    names.length > MAX_ATTACHMENTS_LISTED
      ? [...names.slice(0, MAX_ATTACHMENTS_LISTED), `… and ${names.length - MAX_ATTACHMENTS_LISTED} more`]
      : names;
  return {
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    ...(parsed.date ? { date: parsed.date } : {}),
    subject: parsed.subject ?? '',
    attachments,
  };
}
