// Who may hand mail to the relay: clients from the allowed networks, envelope senders from the school's own domains.
// Everything else is refused with a 5xx, so Chaperone can never become an open relay.
import type { Config } from '../config/schema.js';
import { allowedNetworks, type AllowedNetworks } from './networks.js';
import { replies, type SmtpReply } from './smtp-replies.js';

export interface EnvelopeRules {
  networks: AllowedNetworks;
  /** Lower-cased sender domains, or 'any' for `senderDomains: ["*"]`. */
  senderDomains: ReadonlySet<string> | 'any';
  requireTls: boolean;
}

/** The relay cannot run safely with these settings; the message names the keys to set. */
export class OpenRelayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenRelayError';
  }
}

export function envelopeRules(config: Pick<Config, 'smtp' | 'organisation'>): EnvelopeRules {
  const listed = config.smtp.senderDomains ?? config.organisation.domains;
  let senderDomains: EnvelopeRules['senderDomains'];
  if (listed.includes('*')) {
    if (listed.length > 1) {
      throw new OpenRelayError(`smtp.senderDomains: '*' accepts any sender, so it cannot be listed with other domains`);
    }
    senderDomains = 'any';
  } else {
    const domains = listed.map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter((d) => d !== '');
    if (domains.length === 0) {
      throw new OpenRelayError(
        'no sender domains are configured, so the relay would not know whose mail it may send. ' +
          'Set organisation.domains (e.g. [oakfield.sch.uk]) or smtp.senderDomains; ' +
          'only set smtp.senderDomains: ["*"] if every client in smtp.allowNetworks is trusted to send as anyone',
      );
    }
    senderDomains = new Set(domains);
  }
  return {
    networks: allowedNetworks(config.smtp.allowNetworks),
    senderDomains,
    requireTls: config.smtp.requireTls,
  };
}

/** A client outside the allowed networks is refused before it may say anything. */
export function checkClient(rules: EnvelopeRules, remoteAddress: string): SmtpReply | undefined {
  return rules.networks.allows(remoteAddress) ? undefined : replies.clientNotAllowed(remoteAddress);
}

/**
 * MAIL FROM: the sender's domain must be one of ours. The null sender (bounces, RFC 5321 4.5.5) is accepted from an
 * allowed client: it names no domain to check, and refusing it would only turn the school's own bounces into double bounces.
 */
export function checkSender(rules: EnvelopeRules, sender: string, secure: boolean): SmtpReply | undefined {
  if (rules.requireTls && !secure) return replies.tlsRequired();
  if (sender === '' || rules.senderDomains === 'any') return undefined;
  const at = sender.lastIndexOf('@');
  const domain =
    at === -1
      ? ''
      : sender
          .slice(at + 1)
          .toLowerCase()
          .replace(/\.$/, '');
  return rules.senderDomains.has(domain) ? undefined : replies.senderNotAllowed(sender);
}
