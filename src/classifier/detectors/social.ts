// Social-media and messaging accounts: profile and invite links (instagram.com/jo, wa.me/447..., discord.gg/x)
// and handles given in words ("my insta is jhughes_99", "add me on snap: mr.h", "@mrhughes on tiktok").
// An "@name" with no platform in reach is not enough: it is as likely a mention or an address.

import { z } from 'zod';
import type { MappedText } from '../mapped-text.js';
import { COMMON_WORDS } from '../matchers/common-words.js';
import type { Detector, DetectorContext, DetectorHit } from './types.js';
import { findLinks } from './links.js';
import { PLATFORMS, profileOfLink } from './platforms.js';

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
const PLATFORM = `(${[...PLATFORM_OF_WORD.keys()]
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/ /g, '\\s+'))
  .join('|')})`;
/** A handle as platforms allow them (letters, digits, . _ -), with a Discord discriminator ("#1234") if any. */
const HANDLE = String.raw`(@?[a-z0-9][a-z0-9._\-]{0,29}(?:#[0-9]{4})?)`;
const LABEL = String.raw`(?:handle|username|user\s?name|name|id|account|acc|tag|profile|gamertag|gamer\s?tag|number|no)`;
const B = String.raw`(?<![a-z0-9@])`;
const E = String.raw`(?![a-z0-9_@])`;

/**
 * The ways people give an account in words. `strong` forms (a label, a colon, an "@") are clear enough even for
 * a platform name that is also an everyday word ("snap: mr.h"); the others need a handle that cannot be prose.
 */
const FORMS: readonly { pattern: RegExp; platformGroup: number; handleGroup: number; strong: boolean }[] = [
  // "my insta is jhughes_99", "my snapchat username: mr.h"
  {
    pattern: new RegExp(String.raw`${B}(?:my|our)\s+${PLATFORM}(?:\s+${LABEL})?\s*(?:is|=|:|-)?\s*${HANDLE}${E}`, 'g'),
    platformGroup: 1,
    handleGroup: 2,
    strong: false,
  },
  // "add me on snap: mr.h", "follow me on tiktok @mrh", "message me on discord as jo#1234"
  {
    pattern: new RegExp(
      String.raw`${B}(?:add|follow|find|message|msg|dm|text|contact|reach|hit|catch|search(?:\s+for)?)\s+(?:me|us)\s+(?:up\s+)?(?:on|at|via|through|over)\s+${PLATFORM}\s*(?:[:\-,]|at|as|-\s+it'?s)?\s*${HANDLE}${E}`,
      'g',
    ),
    platformGroup: 1,
    handleGroup: 2,
    strong: false,
  },
  // "snap: mr.h", "insta - @jo", "discord username jo#1234", "gamertag is xX_jo_Xx"
  {
    pattern: new RegExp(
      String.raw`${B}${PLATFORM}(?:\s*${LABEL})?\s*(?::|=|-|\s${LABEL}\s+is|\s${LABEL})\s*${HANDLE}${E}`,
      'g',
    ),
    platformGroup: 1,
    handleGroup: 2,
    strong: true,
  },
  // "insta @jo", "on tiktok @mrh"
  {
    pattern: new RegExp(String.raw`${B}${PLATFORM}\s+(@[a-z0-9][a-z0-9._\-]{0,29})${E}`, 'g'),
    platformGroup: 1,
    handleGroup: 2,
    strong: true,
  },
  // "@mrhughes on tiktok", "@jo (insta)"
  {
    pattern: new RegExp(String.raw`${B}(@[a-z0-9][a-z0-9._\-]{0,29})\s*(?:on|via|\(|-)\s*${PLATFORM}${E}`, 'g'),
    platformGroup: 2,
    handleGroup: 1,
    strong: true,
  },
];

/** Words that follow "my snap is" in ordinary prose ("my snap is private"), on top of the commonest words. */
const NOT_HANDLES = new Set(
  `private public down up blocked deleted new open closed called same still broken gone weak bad good poor rubbish
  terrible off dead fine great full busy banned hacked locked disabled active inactive back linked below above
  attached there here please now soon later tonight tomorrow if and or but cos because too set only available
  working not different changed on private. x`.split(/\s+/),
);

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
    for (const link of findLinks(text)) {
      const profile = profileOfLink(link.host, link.path);
      if (profile !== undefined) add(link.start, link.end, profile.platform, profile.handle);
    }
    for (const form of FORMS) {
      for (const match of text.matchAll(form.pattern)) {
        const word = match[form.platformGroup]!.replace(/\s+/g, ' ');
        const platform = PLATFORM_OF_WORD.get(word);
        const written = match[form.handleGroup]!.replace(/[.-]+$/, '');
        const handle = written.replace(/^@/, '');
        if (platform === undefined || !isHandle(handle, written.startsWith('@'))) continue;
        if (EVERYDAY_WORDS.has(word) && !form.strong && !looksMadeUp(handle) && !written.startsWith('@')) continue;
        add(
          match.index,
          match.index + match[0].length - (match[form.handleGroup]!.length - written.length),
          platform,
          handle,
        );
      }
    }
    return withoutOverlaps(hits);
  },
};

function isHandle(handle: string, withAt: boolean): boolean {
  if (handle.length < 2) return false;
  if (!withAt && (COMMON_WORDS.has(handle) || NOT_HANDLES.has(handle))) return false;
  // All digits: a Discord or Steam id is long; "my snap is 2" is not an account.
  return /[a-z]/.test(handle) || handle.replace(/[^0-9]/g, '').length >= 5;
}

/** Handles nobody would write as a word: digits, underscores or dots inside ("jhughes_99", "mr.h"). */
function looksMadeUp(handle: string): boolean {
  return /[0-9_.]/.test(handle);
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

/** One hit per stretch of text: a link and the words around it are one account, not two. */
function withoutOverlaps(hits: DetectorHit[]): DetectorHit[] {
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: DetectorHit[] = [];
  for (const hit of hits) {
    const last = kept[kept.length - 1];
    if (last !== undefined && hit.start < last.end) continue;
    kept.push(hit);
  }
  return kept;
}
