// Turns a corpus record into the RFC 5322 message a school's mail client would send, honouring its `encoding`.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type MimeNode from 'nodemailer/lib/mime-node/index.js';
import type { CorpusRecord } from './corpus-record.js';
import { encodeLegacy, UnencodableTextError, type LegacyCharset } from './legacy-charset.js';

export const DEFAULT_SENDER = 'Mrs J Hughes <j.hughes@oakfield.sch.uk>';
export const RECIPIENT_ADDRESS = {
  pupil: 'Oakfield pupil <pupil@pupils.oakfield.sch.uk>',
  parent: 'Oakfield parent <parent.carer@example.com>',
} as const;

/** A fixed date keeps every build byte-for-byte the same, so a changed result always means a changed engine. */
const SENT_AT = new Date('2025-03-10T16:45:00Z');
const QUOTED_AT = 'Mon, 10 Mar 2025 at 08:12';
/** nodemailer otherwise draws multipart boundaries at random. */
const BASE_BOUNDARY = 'oakfield-corpus';

export class MimeBuildError extends Error {}

/** The reply line a mail client writes above quoted text. */
export function quoteHeader(author: string): string {
  return `On ${QUOTED_AT}, ${author} wrote:`;
}

/** The record's quoted message as a plain-text reply quote ("On ... wrote:" and "> " lines). */
export function quoteAsText(quoted: string, author: string): string {
  const lines = quoted.replace(/\n+$/, '').split('\n');
  return [quoteHeader(author), ...lines.map((line) => (line === '' ? '>' : `> ${line}`))].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text as the HTML a mail client's editor produces: one <p> per paragraph, <br> per line. */
export function textToHtml(text: string): string {
  return text
    .replace(/\n+$/, '')
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.split('\n').map(escapeHtml).join('<br>\n')}</p>`)
    .join('\n');
}

function quoteAsHtml(quoted: string, author: string): string {
  return (
    `<div class="reply-quote"><p>${escapeHtml(quoteHeader(author))}</p>\n` +
    `<blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">\n${textToHtml(quoted)}\n</blockquote></div>`
  );
}

function htmlDocument(inner: string): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${inner}\n</body></html>`;
}

function withQuotedHtml(html: string, quotedHtml: string | undefined): string {
  if (quotedHtml === undefined) return html;
  const close = html.search(/<\/body>/i);
  return close === -1 ? `${html}\n${quotedHtml}` : `${html.slice(0, close)}${quotedHtml}\n${html.slice(close)}`;
}

function textNodes(node: MimeNode): MimeNode[] {
  const found: MimeNode[] = [];
  const visit = (current: MimeNode): void => {
    if (current.childNodes.length > 0) current.childNodes.forEach(visit);
    else if (/^text\/(plain|html)\b/i.test(current.getHeader('Content-Type') ?? '') && !isAttachment(current))
      found.push(current);
  };
  visit(node);
  return found;
}

function isAttachment(node: MimeNode): boolean {
  return /^attachment\b/i.test(node.getHeader('Content-Disposition') ?? '');
}

function build(node: MimeNode): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    node.build((error, message) => (error ? reject(error) : resolve(message)));
  });
}

function legacyCharset(record: CorpusRecord): LegacyCharset | undefined {
  if (record.encoding === 'latin1') return 'iso-8859-1';
  if (record.encoding === 'windows-1252') return 'windows-1252';
  return undefined;
}

/** The complete message for a record: headers, body (with its quoted reply) and attachments. */
export async function buildMime(record: CorpusRecord): Promise<Buffer> {
  const recipient = RECIPIENT_ADDRESS[record.to];
  const quotedAuthor = record.quotedFrom ?? recipient;
  const quotedText = record.quoted === undefined ? undefined : quoteAsText(record.quoted, quotedAuthor);
  const text = quotedText === undefined ? record.body : `${record.body.replace(/\n+$/, '')}\n\n${quotedText}\n`;

  const wantsHtml = record.encoding === 'html' || record.encoding === 'alternative';
  const quotedHtml = record.quoted === undefined ? undefined : quoteAsHtml(record.quoted, quotedAuthor);
  const html = wantsHtml ? withQuotedHtml(record.html ?? htmlDocument(textToHtml(record.body)), quotedHtml) : undefined;

  const options: Mail.Options & { baseBoundary: string } = {
    baseBoundary: BASE_BOUNDARY,
    from: record.from ?? DEFAULT_SENDER,
    to: recipient,
    subject: record.subject,
    date: SENT_AT,
    messageId: `<${record.id}@corpus.oakfield.sch.uk>`,
    text: record.encoding === 'html' ? undefined : text,
    html,
    textEncoding: record.encoding === 'base64' ? 'base64' : 'quoted-printable',
    attachments: record.attachments?.map((attachment) => ({
      filename: attachment.filename,
      content: attachment.content,
      contentType: attachment.contentType,
    })),
  };
  const root = new MailComposer(options).compile();

  // nodemailer picks 7bit for short ASCII lines whatever textEncoding says; the corpus wants the named encoding on the wire.
  const forced =
    record.encoding === 'quoted-printable' ? 'quoted-printable' : record.encoding === 'base64' ? 'base64' : undefined;
  const charset = legacyCharset(record);
  for (const node of textNodes(root)) {
    if (forced !== undefined) node.setHeader('Content-Transfer-Encoding', forced);
    if (charset !== undefined && /^text\/plain/i.test(node.getHeader('Content-Type'))) {
      try {
        node.setContent(encodeLegacy(text, charset));
      } catch (error) {
        if (error instanceof UnencodableTextError) {
          throw new MimeBuildError(`encoding "${record.encoding}": ${error.message}; use plain (UTF-8) for this text`);
        }
        throw error;
      }
      node.setHeader('Content-Type', `text/plain; charset=${charset}`);
      node.setHeader('Content-Transfer-Encoding', 'quoted-printable');
    }
  }
  return build(root);
}
