// Free personal mailbox providers: an address here is someone's own, not an organisation's.
// Hand-compiled from the providers' own sign-up domains; UK ISPs included because families use them.

const PROVIDERS = new Set([
  'gmail.com', 'googlemail.com', 'hotmail.com', 'hotmail.co.uk', 'outlook.com', 'outlook.co.uk', 'live.com',
  'live.co.uk', 'msn.com', 'windowslive.com', 'passport.com', 'yahoo.com', 'yahoo.co.uk', 'ymail.com',
  'rocketmail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'aol.co.uk', 'aim.com', 'protonmail.com',
  'protonmail.ch', 'proton.me', 'pm.me', 'gmx.com', 'gmx.co.uk', 'gmx.net', 'gmx.de', 'mail.com', 'email.com',
  'yandex.com', 'yandex.ru', 'ya.ru', 'mail.ru', 'btinternet.com', 'btopenworld.com', 'talk21.com', 'sky.com',
  'virginmedia.com', 'ntlworld.com', 'blueyonder.co.uk', 'virgin.net', 'talktalk.net', 'tiscali.co.uk',
  'plusnet.com', 'freeuk.com', 'zoho.com', 'zohomail.eu', 'tutanota.com', 'tutanota.de', 'tuta.io', 'tuta.com',
  'fastmail.com', 'fastmail.fm', 'hushmail.com', 'mailfence.com', 'posteo.de', 'qq.com', '163.com', '126.com',
  'web.de', 't-online.de', 'orange.fr', 'laposte.net', 'free.fr', 'libero.it', 'lycos.com', 'inbox.com',
  'hey.com', 'duck.com', 'skiff.com', 'mail2world.com', 'rediffmail.com', 'cock.li', 'guerrillamail.com',
]); // prettier-ignore

/** Providers that register the same name under many country domains (hotmail.fr, yahoo.ie, outlook.de...). */
const PROVIDER_FAMILIES = /^(?:hotmail|outlook|live|yahoo|gmx|aol|yandex)\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$/;

export function isWebmailDomain(domain: string): boolean {
  return PROVIDERS.has(domain) || PROVIDER_FAMILIES.test(domain);
}

/**
 * Providers' names as people write them without the ending ("jhughes at gmail", "gmail: jhughes99"), with the
 * address each stands for. Only names that are no everyday word: "live", "me" and "mail" are left out.
 */
export const WEBMAIL_NAMES: ReadonlyMap<string, string> = new Map([
  ['gmail', 'gmail.com'], ['googlemail', 'googlemail.com'], ['hotmail', 'hotmail.com'], ['outlook', 'outlook.com'],
  ['yahoo', 'yahoo.com'], ['ymail', 'ymail.com'], ['icloud', 'icloud.com'], ['aol', 'aol.com'],
  ['protonmail', 'protonmail.com'], ['proton', 'proton.me'], ['gmx', 'gmx.com'], ['btinternet', 'btinternet.com'],
  ['yandex', 'yandex.com'], ['tutanota', 'tutanota.com'], ['fastmail', 'fastmail.com'], ['virginmedia', 'virginmedia.com'],
]); // prettier-ignore

/**
 * Provider names that are also everyday words ("the outlook is good", "a proton"): they need a clearer cue.
 * ("Yahoo!" as a cheer is never followed by "at" or a colon and a name, so Yahoo is not among them.)
 */
export const EVERYDAY_WEBMAIL_NAMES: ReadonlySet<string> = new Set(['outlook', 'proton']);
