// E-mail addresses outside the school's own domains, found in normalised text so "jo dot bloggs at gmail dot com"
// counts like jo.bloggs@gmail.com.

import { z } from 'zod';
import type { MappedText } from '../mapped-text.js';
import { isUnderDomain, type Detector, type DetectorContext, type DetectorHit } from './types.js';
import { isWebmailDomain } from './webmail.js';

const optionsSchema = z
  .object({
    /** Report only addresses at personal webmail providers (gmail, hotmail, icloud...). */
    webmailOnly: z.boolean().default(false),
  })
  .strict();
export type EmailOptions = z.infer<typeof optionsSchema>;

/** RFC 5321 caps the local part at 64 octets and a label at 63; the caps also bound the regex. */
const ADDRESS =
  /(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]{0,63}@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24})(?![a-z0-9-]|\.[a-z0-9])/g;

export const emailDetector: Detector<EmailOptions> = {
  name: 'email',
  optionsSchema: optionsSchema as z.ZodType<EmailOptions>,
  detect(mapped: MappedText, options: EmailOptions, context: DetectorContext): DetectorHit[] {
    const hits: DetectorHit[] = [];
    for (const match of mapped.text.matchAll(ADDRESS)) {
      const domain = match[1]!;
      if (isUnderDomain(domain, context.organisation.domains)) continue;
      const webmail = isWebmailDomain(domain);
      if (options.webmailOnly && !webmail) continue;
      hits.push({
        start: match.index,
        end: match.index + match[0].length,
        detail: { address: match[0], domain, webmail: webmail ? 'yes' : 'no' },
      });
    }
    return hits;
  },
};
