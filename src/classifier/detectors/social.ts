// Social-media and messaging accounts: profile and invite links (instagram.com/jo, wa.me/447..., discord.gg/x)
// and handles given in words ("my insta is jhughes_99", "add me on snap: mr.h", "@mrhughes on tiktok").
// An "@name" with no platform in reach is not enough: it is as likely a mention or an address.

import { z } from 'zod';
import type { MappedText } from '../mapped-text.js';
import { COMMON_WORDS } from '../matchers/common-words.js';
import { mayMatch, scanOnce, withoutOverlaps, type Detector, type DetectorContext, type DetectorHit } from './types.js';
import { findLinks, linksIn } from './links.js';
import { PLATFORMS, profileOfLink } from './platforms.js';
import { MADE_UP } from './made-up.js';
import { matchesOf } from '../regex-matches.js';
import { JS_SPACE, TextGate } from '../text-gates.js';

const optionsSchema = z
  .object({
    /** Only these platforms (by name: instagram, snapchat, ...); default all. */
    platforms: z.array(z.enum(PLATFORMS.map((p) => p.name) as [string, ...string[]])).optional(),
  })
  .strict();
export type SocialOptions = z.infer<typeof optionsSchema>;

const PLATFORM_OF_WORD = new Map<string, string>();
const EVERYDAY_WORDS = new Set<string>();
for (const platform of PLATFORMS) {
  for (const word of platform.words) PLATFORM_OF_WORD.set(word, platform.name);
  for (const word of platform.everydayWords ?? []) EVERYDAY_WORDS.add(word);
}
/** A platform's name as a word of its own ("insta", not the start of "instant"). */
const PLATFORM = String.raw`(?<platform>${[...PLATFORM_OF_WORD.keys()]
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/ /g, '\\s+'))
  .join('|')})(?![a-z0-9])`;
/** Where a platform is named: every form contains one, so the forms run only on stretches around these. */
const PLATFORM_NAMED = new RegExp(String.raw`(?<![a-z0-9@])${PLATFORM}`, 'g');
/** PLATFORM_NAMED with its look-arounds read as characters; every form is read only around a name it finds. */
const PLATFORM_NAMED_GATE = new TextGate(
  String.raw`(?:^|[^a-z0-9@])(?:${[...PLATFORM_OF_WORD.keys()].map((w) => w.replace(/ /g, `${JS_SPACE}+`)).join('|')})(?:$|[^a-z0-9])`,
);
/**
 * How far a form reaches before and after its platform's name ("username jhughes_99 on snapchat", "add me on snap:
 * handle"). Running the forms only there makes the detector 2-3x faster on mail that names a platform once.
 */
const REACH_BEFORE = 100;
/**
 * Platform names per text whose surroundings are read (about 15 us each). A page of "insta insta insta..." costs no
 * more than this many; mail naming more platforms than this is no ordinary mail, and links are still all read.
 */
const MAX_PLATFORM_NAMES = 1000;
const REACH_AFTER = 60;
const WORD_CHAR = /[a-z0-9_@.-]/;
/** A handle as platforms allow them (letters, digits, . _ -), with a Discord discriminator ("#1234") if any. */
const HANDLE = String.raw`(?<handle>@?[a-z0-9][a-z0-9._\-]{0,29}(?:#[0-9]{4})?)`;
const LABEL = String.raw`(?<label>handle|username|user\s?name|name|id|account|acc|tag|profile|gamertag|gamer\s?tag|number|no)(?![a-z0-9])`;
const B = String.raw`(?<![a-z0-9@])`;
/** A handle ends where the word ends; a '/' or '.x' after it means a link or address, which others read whole. */
const E = String.raw`(?![a-z0-9_@/]|\.[a-z0-9])`;
/** Arrows and pointing hands people put between a name and a handle ("ig → jo", "snap 👉 jo"). */
const ARROW = String.raw`(?:->|=>|→|➡️?|👉|👇)`;
/** Between a name and what it names: "is", ":", "=", a comma, a dash set apart ("insta - jo", not "x-ray"). */
const IS = String.raw`\s*(?:(?:is|'s|=|:|,|\s-|-\s|${ARROW})\s*)?[("']?\s*`;

/**
 * "I'm on tiktok under the name fionaswims", "on insta as @jo", "find me on tiktok under fiona.swims". Needs a
 * label, an "@" or a made-up handle: "I put it on YouTube as homework" is not an account.
 */
const ON_PLATFORM_AS = new RegExp(
  String.raw`${B}on\s+${PLATFORM}\s+(?:as|under)\s+(?:(?:the\s+)?${LABEL}\s+)?${HANDLE}${E}`,
  'g',
);

/**
 * "insta is fiona.swims", "add me on snap, it's mrh_22", "my tiktok? @fiona", "discord tag hughesy#1234": loose
 * words between name and handle, so the handle must be clear (an "@", a label, or a made-up look): "tiktok is
 * addictive" is not an account.
 */
const PLATFORM_THEN_HANDLE = new RegExp(
  String.raw`${B}${PLATFORM}(?:\s+${LABEL})?\s*[,?!]?\s*(?:(?:it'?s|its|i'?m|im|i\s+am|is|=)\s+)?${HANDLE}${E}`,
  'y',
);

/**
 * The ways people give an account in words, each with a named `platform` and `handle` (and maybe `label`). These
 * start with the platform's name, so they are tried only where one stands (sticky, at each name found).
 */
const FORMS_AT_PLATFORM: readonly RegExp[] = [
  PLATFORM_THEN_HANDLE,
  // "snap: mr.h", "insta - @jo", "discord username jo#1234", "gamertag is xX_jo_Xx"
  new RegExp(
    String.raw`${B}${PLATFORM}(?:\s*${LABEL})?\s*(?::|=|\s-|-\s|\(|${ARROW}|\s(?:handle|username|name|id|tag)\s+is)\s*["']?${HANDLE}${E}`,
    'y',
  ),
  // "insta @jo", "on tiktok @mrh"
  new RegExp(String.raw`${B}${PLATFORM}\s+(?<handle>@[a-z0-9][a-z0-9._\-]{0,29})${E}`, 'y'),
  // "snap me: mrh_22", "whatsapp me at jo.b"
  new RegExp(String.raw`${B}${PLATFORM}\s+(?:me|us)\s*(?::|-|at\b|on\b|@)\s*${HANDLE}${E}`, 'y'),
  // "add me on discord, my tag is hughesy#1234", "on snap - username: mrh22"
  new RegExp(String.raw`${B}${PLATFORM}\s*[,;:\-]?\s+(?:my|the|our)\s+${LABEL}\s*(?:is|:|=|-)?\s*${HANDLE}${E}`, 'y'),
];

/** Forms with words before the platform's name, run over the stretch of text around each name. */
const FORMS_AROUND_PLATFORM: readonly RegExp[] = [
  // "my insta is jhughes_99", "my snapchat username: mr.h", "my TikTok, @fiona", "my Insta (fionaswims)"
  new RegExp(String.raw`${B}(?:my|our)\s+${PLATFORM}(?:\s+${LABEL})?${IS}${HANDLE}${E}`, 'g'),
  // "add me on snap: mr.h", "follow me on tiktok @mrh", "find me on insta - fiona.swims"
  new RegExp(
    String.raw`${B}(?:(?:add|follow|find|message|msg|dm|inbox|text|contact|reach|hit|catch|chat\s+to|talk\s+to|search(?:\s+for)?)\s+(?:me|us)\s+(?:up\s+)?|hmu\s+)(?:on|at|via|through|over)\s+${PLATFORM}\s*(?:[:,(]|\s-|at\b|as\b|-\s+it'?s)?\s*${HANDLE}${E}`,
    'g',
  ),
  // "👻 mrh_22": Snapchat's ghost stands for its name
  new RegExp(String.raw`(?<platform>👻)\s*[:\-]?\s*${HANDLE}${E}`, 'g'),
  // "@mrhughes on tiktok", "@jo (insta)", "I'm @ngozi on Telegram", "follow me @jo on the gram"
  new RegExp(
    String.raw`${B}(?<handle>@[a-z0-9][a-z0-9._\-]{0,29})\s*(?:(?:on|via|over)\s+(?:the\s+)?|\(|-)\s*${PLATFORM}${E}`,
    'g',
  ),
  ON_PLATFORM_AS,
  // "username jhughes99 on Snapchat", "I'm fionaswims on insta"
  new RegExp(
    String.raw`(?:${B}${LABEL}\s*(?::|is)?|${B}(?:i'm|im|i\s+am))\s+${HANDLE}\s+(?:on|over|via)\s+${PLATFORM}`,
    'g',
  ),
];

/**
 * "jhughes_99 (insta)", "fiona.swims on insta": with no other cue the handle must look made up (a digit, dot or
 * underscore), have three letters, and not be an abbreviation ("e.g. on tiktok"). Tried on the words just before
 * each platform name, since a made-up look is cheap to fake but dear to search for everywhere.
 */
const MADE_UP_HANDLE_BEFORE = new RegExp(
  String.raw`${B}(?<handle>@?${MADE_UP}[a-z0-9][a-z0-9._\-]{0,29})(?:\s*\(\s*|\s+(?:on|over)\s+)$`,
);
/** How far before a platform name MADE_UP_HANDLE_BEFORE looks: a handle of 30 and its " on ". */
const HANDLE_BEFORE_CHARS = 40;

/** The sticky forms and the made-up handle form as global scans, for text past MAX_PLATFORM_NAMES. */
const FORMS_AT_PLATFORM_EVERYWHERE: readonly RegExp[] = FORMS_AT_PLATFORM.map((f) => new RegExp(f.source, 'g'));
const FORM_OF_EVERYWHERE: ReadonlyMap<RegExp, RegExp> = new Map(
  FORMS_AT_PLATFORM_EVERYWHERE.map((f, i) => [f, FORMS_AT_PLATFORM[i]!]),
);
const MADE_UP_HANDLE_EVERYWHERE = new RegExp(MADE_UP_HANDLE_BEFORE.source.replace(/\$$/, PLATFORM), 'g');

/** Words that follow "my snap is" or come between "I'm" and "on insta" in ordinary prose; on top of COMMON_WORDS. */
const NOT_HANDLES = new Set(
  `private public down up blocked deleted new open closed called same still broken gone weak bad good poor rubbish
  terrible off dead fine great full busy banned hacked locked disabled active inactive back linked below above
  attached there here please now soon later tonight tomorrow if and or but cos because too set only available
  working not different changed on x always mostly never rarely usually often sometimes constantly hardly barely
  basically literally still online offline live famous known big popular around everywhere verified really quite
  also already nearly almost free bored stuck addicted obsessed page pages channel group groups account profile post
  posts story stories feed link links video videos handle username name server app site`.split(/\s+/),
);

/** A Nintendo Switch friend code ("SW-1234-5678-9012"): the format is the platform's own, so no name is needed. */
const FRIEND_CODE = /(?<![a-z0-9])sw[- ]?([0-9]{4})[- ]([0-9]{4})[- ]([0-9]{4})(?![0-9])/g;
const FRIEND_CODE_GATE = new TextGate(String.raw`sw[- ]?[0-9]{4}[- ][0-9]{4}[- ][0-9]{4}`);

/** The MADE_UP look, for a handle already cut out ("mrh_22", "fiona.swims"; not "v2.1", "3.5m", "e.g"). */
const MADE_UP_WHOLE = new RegExp(String.raw`^${MADE_UP}`);

const FOLLOWED_BY_DIGITS = /^[ \t\-.]{0,3}[0-9]/;

export const socialDetector: Detector<SocialOptions> = {
  name: 'social',
  optionsSchema: optionsSchema as z.ZodType<SocialOptions>,
  detect(mapped: MappedText, options: SocialOptions, context: DetectorContext): DetectorHit[] {
    const text = mapped.text;
    const own = organisationHandles(context.organisation.accounts);
    const wanted = options.platforms === undefined ? undefined : new Set(options.platforms);
    const hits: DetectorHit[] = [];
    const add = (start: number, end: number, platform: string, handle: string): void => {
      if (own.has(handle.toLowerCase())) return;
      if (wanted !== undefined && !wanted.has(platform)) return;
      hits.push({ start, end, detail: { platform, handle } });
    };
    for (const link of scanOnce(mapped, context, linksIn)) {
      const profile = profileOfLink(link.host, link.path);
      if (profile !== undefined) add(link.start, link.end, profile.platform, profile.handle);
    }
    if (mayMatch(context, FRIEND_CODE_GATE)) {
      for (const match of text.matchAll(FRIEND_CODE)) {
        add(match.index, match.index + match[0].length, 'nintendo', `sw-${match[1]}-${match[2]}-${match[3]}`);
      }
    }
    /** One account given in words: `matched` starts at `start` in the text and holds the named groups. */
    const consider = (
      start: number,
      matched: string,
      groups: Record<string, string | undefined>,
      form?: RegExp,
    ): void => {
      const word = groups.platform!.replace(/\s+/g, ' ');
      const platform = PLATFORM_OF_WORD.get(word);
      const written = groups.handle!.replace(/[.-]+$/, '');
      const handle = written.replace(/^@/, '');
      const withAt = written.startsWith('@');
      if (platform === undefined || !isHandle(handle, withAt) || isPlatformHost(handle)) return;
      // After a name that is also an everyday word ("cold snap: frost", "x = 12345") the handle must be
      // unmistakable: an "@", a label before it, or a made-up look, and at least one letter.
      const clear = withAt || groups.label !== undefined || looksMadeUp(handle);
      const needsClear = EVERYDAY_WORDS.has(word) || form === ON_PLATFORM_AS || form === PLATFORM_THEN_HANDLE;
      if (needsClear && (!clear || !/[a-z]/.test(handle))) return;
      let end = start + matched.length;
      if (matched.endsWith(groups.handle!)) end -= groups.handle!.length - written.length;
      // A number is the phone detector's to read whole: "whatsapp me on 07700 900123" is not account "07700".
      if (/^[0-9]+$/.test(handle) && FOLLOWED_BY_DIGITS.test(text.slice(end, end + 4))) return;
      const opener = matched[matched.length - groups.handle!.length - 1];
      if (matched.endsWith(groups.handle!) && (opener === '"' || opener === "'") && text[end] === opener) end++;
      else if (text[end] === ')' && matched.includes('(')) end++;
      add(start, end, platform, handle);
    };
    const named: RegExpExecArray[] = [];
    if (mayMatch(context, PLATFORM_NAMED_GATE)) {
      for (const name of matchesOf(PLATFORM_NAMED, text)) {
        if (named.push(name) >= MAX_PLATFORM_NAMES) break;
      }
    }
    for (const name of named) {
      for (const form of FORMS_AT_PLATFORM) {
        form.lastIndex = name.index;
        const match = form.exec(text);
        if (match !== null) consider(match.index, match[0], match.groups!, form);
      }
      const from = Math.max(0, name.index - HANDLE_BEFORE_CHARS);
      const before = MADE_UP_HANDLE_BEFORE.exec(text.slice(from, name.index));
      if (before !== null) {
        const start = from + before.index;
        const groups = { handle: before.groups!.handle, platform: name.groups!.platform };
        consider(start, text.slice(start, name.index + name[0].length), groups);
      }
    }
    for (const stretch of stretchesAround(text, named)) {
      const part = text.slice(stretch.start, stretch.end);
      for (const form of FORMS_AROUND_PLATFORM) {
        for (const match of part.matchAll(form)) consider(stretch.start + match.index, match[0], match.groups!, form);
      }
    }
    if (named.length >= MAX_PLATFORM_NAMES) {
      // Past the cap, every form scans the rest of the text once, so nothing hides behind a page of names.
      const from = wordStart(text, named[named.length - 1]!.index);
      const rest = text.slice(from);
      for (const form of [...FORMS_AT_PLATFORM_EVERYWHERE, ...FORMS_AROUND_PLATFORM, MADE_UP_HANDLE_EVERYWHERE]) {
        for (const match of rest.matchAll(form)) {
          const kind = form === MADE_UP_HANDLE_EVERYWHERE ? undefined : (FORM_OF_EVERYWHERE.get(form) ?? form);
          consider(from + match.index, match[0], match.groups!, kind);
        }
      }
    }
    return withoutOverlaps(hits);
  },
};

/** Where the word holding `at` starts, so a scan from there reads it as a scan of the whole text would. */
function wordStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  return start;
}

/** Stretches of text around each platform name, widened to whole words and merged where they overlap. */
function stretchesAround(text: string, names: readonly RegExpMatchArray[]): { start: number; end: number }[] {
  const stretches: { start: number; end: number }[] = [];
  for (const named of names) {
    let start = Math.max(0, named.index! - REACH_BEFORE);
    let end = Math.min(text.length, named.index! + named[0].length + REACH_AFTER);
    // Whole words at both ends, so the forms' look-behinds and look-aheads see what they would in the whole text.
    while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
    while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
    const last = stretches[stretches.length - 1];
    if (last !== undefined && start <= last.end) last.end = Math.max(last.end, end);
    else stretches.push({ start, end });
  }
  return stretches;
}

/** "youtube", "youtube.com": the platform's own name or address, written where a handle would be. */
function isPlatformHost(handle: string): boolean {
  const dot = handle.indexOf('.');
  return PLATFORM_OF_WORD.has(dot > 0 ? handle.slice(0, dot) : handle);
}

function isHandle(handle: string, withAt: boolean): boolean {
  if (handle.length < 2) return false;
  if (!withAt && (COMMON_WORDS.has(handle) || NOT_HANDLES.has(handle))) return false;
  // All digits: a Discord or Steam id is long; "my snap is 2" is not an account.
  return /[a-z]/.test(handle) || handle.replace(/[^0-9]/g, '').length >= 5;
}

/** Handles nobody would write as a word: digits, underscores or dots and three letters ("jhughes_99", "mr.h"). */
function looksMadeUp(handle: string): boolean {
  return MADE_UP_WHOLE.test(handle);
}

/** Handles of the school's own accounts ("@oakfieldschool", "facebook.com/oakfieldschool"). */
function organisationHandles(accounts: readonly string[]): Set<string> {
  const handles = new Set<string>();
  for (const account of accounts) {
    const value = account.trim().toLowerCase();
    const link = findLinks(value)[0];
    const profile = link && profileOfLink(link.host, link.path);
    handles.add(profile ? profile.handle : value.replace(/^@/, ''));
  }
  return handles;
}
