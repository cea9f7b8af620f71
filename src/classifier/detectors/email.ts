// E-mail addresses outside the school's own domains, found in normalised text so "jo dot bloggs at gmail dot com"
// counts like jo.bloggs@gmail.com. Also a webmail provider standing for its domain: "jhughes@gmail" (no ending),
// "gmail: jhughes99", "my hotmail is jo_b".

import { z } from 'zod';
import type { MappedText } from '../mapped-text.js';
import { COMMON_WORDS } from '../matchers/common-words.js';
import {
  isUnderDomain,
  mayMatch,
  scanOnce,
  withoutOverlaps,
  type Detector,
  type DetectorContext,
  type DetectorHit,
} from './types.js';
import { MADE_UP } from './made-up.js';
import { TextGate } from '../text-gates.js';
import { EVERYDAY_WEBMAIL_NAMES, isWebmailDomain, WEBMAIL_NAMES } from './webmail.js';

const optionsSchema = z
  .object({
    /** Report only addresses at personal webmail providers (gmail, hotmail, icloud...). */
    webmailOnly: z.boolean().default(false),
    /**
     * Report only addresses outside the webmail providers (a family or business domain), so a rule for "other"
     * addresses need not repeat the webmail rule's findings, whatever form the address was written in.
     */
    excludeWebmail: z.boolean().default(false),
  })
  .strict();
export type EmailOptions = z.infer<typeof optionsSchema>;

/** RFC 5321 caps the local part at 64 octets and a label at 63; the caps also bound the regex. */
const ADDRESS =
  /(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]{0,63}@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24})(?![a-z0-9-]|\.[a-z0-9])/g;

const PROVIDER = `(${[...WEBMAIL_NAMES.keys()].join('|')})`;
/** Every provider form names a provider: the gate spares the forms the many messages that name none. */
const PROVIDER_NAMED_GATE = new TextGate(PROVIDER);
/** "jhughes@gmail": a provider's name after the "@" is its address even without ".com". */
const ADDRESS_WITHOUT_ENDING = new RegExp(
  String.raw`(?<![a-z0-9._%+-])([a-z0-9][a-z0-9._%+-]{0,63})@${PROVIDER}(?![a-z0-9\-@]|\.[a-z0-9])`,
  'g',
);
/**
 * "gmail: jhughes99", "my hotmail is jo_b", "my gmail address - jo.b": the mailbox name given after its provider.
 * A colon or a label is needed, or "my" before it: "gmail is down" is not an address.
 */
const MAILBOX_AFTER_PROVIDER = new RegExp(
  String.raw`(?<![a-z0-9@._-])(my\s+|our\s+)?${PROVIDER}(?:\s+(?:address|addy|account|acc|email|e-mail|username|user\s?name|id))?\s*(:|=|-|\bis\b)\s*([a-z0-9][a-z0-9._%+-]{1,63})(?![a-z0-9@_%+-])`,
  'g',
);
/** "jhughes99 on gmail", "jo_b (hotmail)": a mailbox name that cannot be a word, then its provider. */
const MAILBOX_BEFORE_PROVIDER = new RegExp(
  String.raw`(?<![a-z0-9@._%+-])(${MADE_UP}[a-z0-9][a-z0-9._%+-]{1,63})\s*(?:\bon\b|\(|-)\s*${PROVIDER}(?![a-z0-9@.])`,
  'g',
);
/** Words that follow "my gmail is" in prose ("my gmail is full"); not mailbox names. */
const NOT_MAILBOXES = new Set(
  `full down broken blocked hacked locked private new old gone dead closed deleted working fine better best same different
  attached below above there here at dot com`.split(/\s+/),
);

export const emailDetector: Detector<EmailOptions> = {
  name: 'email',
  optionsSchema: optionsSchema as z.ZodType<EmailOptions>,
  detect(mapped: MappedText, options: EmailOptions, context: DetectorContext): DetectorHit[] {
    const hits: DetectorHit[] = [];
    // Read once per part: the webmail and the other-address rules choose from the same addresses.
    for (const found of scanOnce(mapped, context, addressesIn)) {
      if (options.excludeWebmail && found.detail.webmail === 'yes') continue;
      if (found.written !== undefined) {
        if (isUnderDomain(found.written.domain, context.organisation.domains)) continue;
        if (options.webmailOnly && !found.written.webmail) continue;
      }
      hits.push({ start: found.start, end: found.end, detail: { ...found.detail } });
    }
    return withoutOverlaps(hits);
  },
};

interface FoundAddress {
  start: number;
  end: number;
  detail: Record<string, string>;
  /** Set for an address written out in full, which a rule may pass (the school's own domain, or not webmail). */
  written?: { domain: string; webmail: boolean };
}

/** Every address in the text, before any rule's settings choose among them. */
function addressesIn(mapped: MappedText, context: DetectorContext): readonly FoundAddress[] {
  const text = mapped.text;
  const found: FoundAddress[] = [];
  // Both address forms need an '@'; most messages have none, and the scan for them is the detector's dearest.
  if (text.includes('@')) {
    for (const match of text.matchAll(ADDRESS)) {
      const domain = match[1]!;
      const webmail = isWebmailDomain(domain);
      found.push({
        start: match.index,
        end: match.index + match[0].length,
        detail: { address: match[0], domain, webmail: webmail ? 'yes' : 'no' },
        written: { domain, webmail },
      });
    }
  }
  // Provider names are webmail by definition, so these are reported with or without webmailOnly.
  if (!mayMatch(context, PROVIDER_NAMED_GATE)) return found;
  if (text.includes('@')) {
    for (const match of text.matchAll(ADDRESS_WITHOUT_ENDING)) {
      const domain = WEBMAIL_NAMES.get(match[2]!)!;
      found.push(providerHit(match.index, match.index + match[0].length, match[1]!, domain));
    }
  }
  for (const match of text.matchAll(MAILBOX_AFTER_PROVIDER)) {
    const mailbox = match[4]!.replace(/[.-]+$/, '');
    const labelled = match[1] !== undefined || match[3] !== 'is';
    if (!labelled || !isMailboxName(mailbox)) continue;
    // "my outlook is positive": an everyday word as provider needs a mailbox nobody would write as a word.
    if (EVERYDAY_WEBMAIL_NAMES.has(match[2]!) && !/[0-9._]/.test(mailbox)) continue;
    const domain = WEBMAIL_NAMES.get(match[2]!)!;
    const end = match.index + match[0].length - (match[4]!.length - mailbox.length);
    found.push(providerHit(match.index, end, mailbox, domain));
  }
  for (const match of text.matchAll(MAILBOX_BEFORE_PROVIDER)) {
    const mailbox = match[1]!.replace(/[.-]+$/, '');
    if (!isMailboxName(mailbox)) continue;
    const end = match.index + match[0].length + (text[match.index + match[0].length] === ')' ? 1 : 0);
    found.push(providerHit(match.index, end, mailbox, WEBMAIL_NAMES.get(match[2]!)!));
  }
  return found;
}

function providerHit(start: number, end: number, mailbox: string, domain: string): FoundAddress {
  return { start, end, detail: { address: `${mailbox}@${domain}`, domain, webmail: 'yes' } };
}

function isMailboxName(name: string): boolean {
  if (name.length < 3 || COMMON_WORDS.has(name) || NOT_MAILBOXES.has(name)) return false;
  return /[a-z]/.test(name);
}
