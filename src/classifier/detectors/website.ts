// Personal blogs and websites: pages on blog and site-builder hosts, link-in-bio pages, and any domain the sender
// introduces as "my blog/site/website". Educational sites and the school's own domains pass.

import { z } from 'zod';
import type { MappedText } from '../mapped-text.js';
import { isUnderDomain, scanOnce, type Detector, type DetectorContext, type DetectorHit } from './types.js';
import { linksIn, type Link } from './links.js';
import { profileOfLink } from './platforms.js';

const optionsSchema = z.object({}).strict();
export type WebsiteOptions = z.infer<typeof optionsSchema>;

/** Hosts where a page belongs to one person: blogs, site builders, link-in-bio and creator pages. */
const PERSONAL_HOSTS: ReadonlyMap<string, string> = new Map([
  ['blogspot.com', 'blog'], ['blogger.com', 'blog'], ['wordpress.com', 'blog'], ['tumblr.com', 'blog'],
  ['medium.com', 'blog'], ['substack.com', 'blog'], ['ghost.io', 'blog'], ['livejournal.com', 'blog'],
  ['hashnode.dev', 'blog'], ['dev.to', 'blog'], ['write.as', 'blog'], ['typepad.com', 'blog'],
  ['wixsite.com', 'website'], ['wix.com', 'website'], ['squarespace.com', 'website'], ['weebly.com', 'website'],
  ['jimdosite.com', 'website'], ['strikingly.com', 'website'], ['webflow.io', 'website'], ['carrd.co', 'website'],
  ['github.io', 'website'], ['gitlab.io', 'website'], ['netlify.app', 'website'], ['vercel.app', 'website'],
  ['neocities.org', 'website'], ['about.me', 'website'], ['sites.google.com', 'website'], ['godaddysites.com', 'website'],
  ['linktr.ee', 'link-in-bio'], ['beacons.ai', 'link-in-bio'], ['bio.link', 'link-in-bio'], ['lnk.bio', 'link-in-bio'],
  ['linkin.bio', 'link-in-bio'], ['campsite.bio', 'link-in-bio'], ['solo.to', 'link-in-bio'], ['taplink.cc', 'link-in-bio'],
  ['patreon.com', 'creator-page'], ['ko-fi.com', 'creator-page'], ['buymeacoffee.com', 'creator-page'],
  ['onlyfans.com', 'creator-page'], ['fansly.com', 'creator-page'], ['paypal.me', 'payment-page'],
  ['cash.app', 'payment-page'], ['monzo.me', 'payment-page'], ['venmo.com', 'payment-page'],
  ['amazon.co.uk/hz/wishlist', 'wishlist'], ['throne.com', 'wishlist'],
  ['etsy.com/shop', 'shop'], ['depop.com', 'shop'], ['vinted.co.uk/member', 'shop'], ['ebay.co.uk/usr', 'shop'],
  ['ebay.com/usr', 'shop'], ['redbubble.com/people', 'shop'], ['bandcamp.com', 'creator-page'],
]); // prettier-ignore

/** Sites teachers send pupils to every day; never personal, even when "my" comes before them. */
const EDUCATIONAL = [
  'bbc.co.uk', 'bbc.com', 'gov.uk', 'nhs.uk', 'sch.uk', 'ac.uk', 'nhs.net', 'aqa.org.uk', 'ocr.org.uk', 'wjec.co.uk',
  'eduqas.co.uk', 'ccea.org.uk', 'sqa.org.uk', 'pearson.com', 'qualifications.pearson.com', 'cambridgeinternational.org',
  'ucas.com', 'thenational.academy', 'senecalearning.com', 'corbettmaths.com', 'mathsgenie.co.uk', 'sparxmaths.com',
  'drfrostmaths.com', 'mathswatch.co.uk', 'khanacademy.org', 'educake.co.uk', 'quizlet.com', 'kahoot.it', 'kahoot.com',
  'wikipedia.org', 'britannica.com', 'nationalgeographic.com', 'classroom.google.com', 'teams.microsoft.com',
  'office.com', 'microsoft.com', 'gcsepod.com', 'satchelone.com', 'showmyhomework.co.uk', 'firefly.com',
  'doodlemaths.com', 'timestablesrockstars.co.uk', 'ttrockstars.com', 'readingplus.com', 'accelerated-reader.com',
  'renaissance.com', 'duolingo.com', 'languagenut.com', 'physicsandmathstutor.com', 'savemyexams.com',
  'studentfinance.service.gov.uk', 'childline.org.uk', 'nspcc.org.uk', 'ceop.police.uk', 'thinkuknow.co.uk',
]; // prettier-ignore

const SITE_WORD = String.raw`(?:blog|vlog|website|web\s?site|site|page|homepage|home\s+page|portfolio|podcast|channel|shop|store|link\s?tree|linktree)`;
/** Words between "my" and "site" that make it someone else's site: "my favourite site is bbc.co.uk". */
const NOT_OWN = String.raw`(?!(?:favou?rite|fave|go-to|usual|preferred|recommended|best|top)\b)`;
/**
 * Before the link: "my blog", "my photography website", "check out my site:", "I have a website,", "I blog at",
 * "my stuff is at".
 * Up to two words may stand between "my" and "site".
 */
const INTRODUCED_BEFORE = new RegExp(
  String.raw`(?:(?<![a-z0-9])(?:my|our)\s+${NOT_OWN}(?:[a-z'\-]+\s+${NOT_OWN}){0,2}${SITE_WORD}|(?<![a-z0-9])i(?:'ve|\s+have)?\s+(?:got\s+|run\s+|started\s+|made\s+|set\s+up\s+|have\s+)?(?:a|an|my\s+own)\s+(?:[a-z'\-]+\s+){0,2}${SITE_WORD}|(?<![a-z0-9])i\s+(?:blog|vlog|post|write|sell\s+stuff|stream)|(?<![a-z0-9])(?:my|our)\s+(?:own\s+)?(?:stuff|work|art|artwork|photos|photography|music|videos|writing|poems|designs)\s+(?:is\s+|are\s+)?(?:at|on|here))\b[^.\n]{0,40}$`,
);
/** After the link: "jo.net is my blog", "www.jo.net (my site)", "jo.net - my portfolio". */
const INTRODUCED_AFTER = new RegExp(
  String.raw`^[ \t]{0,3}(?:\(|-|,|is|=)?[ \t]*(?:my|our)\s+(?:own\s+|personal\s+|new\s+)?${SITE_WORD}\b`,
);
const INTRODUCTION_WINDOW = 60;
/** Every introduction names its writer ("my", "our", "I"): a cheap test before the dear ones. */
const SELF_WORD = /(?<![a-z0-9])(?:my|our|i)(?![a-z0-9])/;
const AFTER_WINDOW = 40;

export const websiteDetector: Detector<WebsiteOptions> = {
  name: 'website',
  optionsSchema: optionsSchema as z.ZodType<WebsiteOptions>,
  detect(mapped: MappedText, _options: WebsiteOptions, context: DetectorContext): DetectorHit[] {
    const text = mapped.text;
    const hits: DetectorHit[] = [];
    for (const link of scanOnce(mapped, context, linksIn)) {
      if (isUnderDomain(link.host, context.organisation.domains) || underAny(link.host, EDUCATIONAL_DOMAINS)) continue;
      // Social profiles are the social detector's; a link is reported once.
      if (profileOfLink(link.host, link.path) !== undefined) continue;
      const kind = personalHostKind(link) ?? introducedKind(text, link);
      if (kind === undefined) continue;
      if (kind === 'website' && link.host === 'sites.google.com' && mentionsOrganisation(link.path, context)) continue;
      hits.push({ start: link.start, end: link.end, detail: { host: link.host, kind } });
    }
    return hits;
  },
};

function personalHostKind(link: Link): string | undefined {
  for (const domain of suffixes(link.host)) {
    for (const { path, kind } of PERSONAL_PAGES.get(domain) ?? []) {
      if (path !== '' && !link.path.startsWith(path)) continue;
      // The host's own front page ("wordpress.com") is not anyone's site; a subdomain or a path is.
      if (link.host === domain && link.path.replace(/[/?#]+$/, '') === '') continue;
      return kind;
    }
  }
  return undefined;
}

/** PERSONAL_HOSTS by domain, read once: a page of links costs a look-up per label of each host, not a scan. */
const PERSONAL_PAGES: ReadonlyMap<string, readonly { path: string; kind: string }[]> = (() => {
  const pages = new Map<string, { path: string; kind: string }[]>();
  for (const [host, kind] of PERSONAL_HOSTS) {
    const [domain, ...path] = host.split('/');
    const list = pages.get(domain!) ?? [];
    list.push({ path: path.length > 0 ? '/' + path.join('/') : '', kind });
    pages.set(domain!, list);
  }
  return pages;
})();
const EDUCATIONAL_DOMAINS: ReadonlySet<string> = new Set(EDUCATIONAL);

/** "a.b.example.com" -> "a.b.example.com", "b.example.com", "example.com", "com". */
function* suffixes(host: string): Generator<string> {
  let at = 0;
  while (at >= 0) {
    yield host.slice(at);
    const dot = host.indexOf('.', at);
    at = dot < 0 ? -1 : dot + 1;
  }
}

function underAny(host: string, domains: ReadonlySet<string>): boolean {
  for (const domain of suffixes(host)) if (domains.has(domain)) return true;
  return false;
}

function introducedKind(text: string, link: Link): string | undefined {
  const before = text.slice(Math.max(0, link.start - INTRODUCTION_WINDOW), link.start);
  const after = text.slice(link.end, link.end + AFTER_WINDOW);
  const introduced =
    (SELF_WORD.test(before) && INTRODUCED_BEFORE.test(before)) ||
    (SELF_WORD.test(after) && INTRODUCED_AFTER.test(after));
  return introduced ? 'personal-site' : undefined;
}

function mentionsOrganisation(path: string, context: DetectorContext): boolean {
  return context.organisation.domains.some((domain) => path.includes(domain.toLowerCase()));
}
