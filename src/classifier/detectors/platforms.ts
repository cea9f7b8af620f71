// The social and messaging platforms staff and pupils use: what people call each one, and how a link to a
// profile or a chat on it is written. Hand-compiled from each platform's own profile and invite URL formats.

export interface Platform {
  name: string;
  /** What people call it in a sentence ("insta", "snap"). */
  words: readonly string[];
  /** Words that are also everyday English ("snap", "signal", "steam"): a handle after them needs a stronger cue. */
  everydayWords?: readonly string[];
}

export const PLATFORMS: readonly Platform[] = [
  // "the gram" is slang for Instagram; "gram" alone is a unit.
  { name: 'instagram', words: ['instagram', 'insta', 'ig', 'the gram', 'gram'], everydayWords: ['gram'] },
  // The ghost is Snapchat's logo, and people write it for the name ("👻 mrh_22").
  { name: 'snapchat', words: ['snapchat', 'snap chat', 'snap', 'sc', '👻'], everydayWords: ['snap', 'sc'] },
  { name: 'tiktok', words: ['tiktok', 'tik tok', 'tt'], everydayWords: ['tt'] },
  { name: 'facebook', words: ['facebook', 'fb', 'messenger'], everydayWords: ['messenger'] },
  { name: 'x', words: ['twitter', 'x'], everydayWords: ['x'] },
  { name: 'whatsapp', words: ['whatsapp', 'whats app', 'watsapp', 'whatsap', 'wa'], everydayWords: ['wa'] },
  { name: 'discord', words: ['discord'] },
  { name: 'telegram', words: ['telegram'] },
  { name: 'signal', words: ['signal'], everydayWords: ['signal'] },
  { name: 'youtube', words: ['youtube', 'yt'] },
  { name: 'twitch', words: ['twitch'] },
  { name: 'reddit', words: ['reddit'] },
  { name: 'linkedin', words: ['linkedin'] },
  { name: 'threads', words: ['threads'], everydayWords: ['threads'] },
  { name: 'bereal', words: ['bereal', 'be real'], everydayWords: ['be real'] },
  { name: 'kik', words: ['kik'] },
  { name: 'skype', words: ['skype'] },
  { name: 'steam', words: ['steam'], everydayWords: ['steam'] },
  { name: 'xbox', words: ['xbox live', 'xbox', 'gamertag', 'gamer tag'] },
  { name: 'playstation', words: ['playstation network', 'playstation', 'psn', 'ps5', 'ps4'] },
  // Games and apps where children and adults meet: accounts there are as private as any messenger.
  { name: 'roblox', words: ['roblox'] },
  { name: 'minecraft', words: ['minecraft'] },
  { name: 'fortnite', words: ['fortnite', 'epic games'] },
  { name: 'nintendo', words: ['nintendo', 'nintendo switch', 'friend code'] },
  { name: 'yubo', words: ['yubo'] },
  { name: 'vsco', words: ['vsco'] },
  { name: 'pinterest', words: ['pinterest'] },
  { name: 'soundcloud', words: ['soundcloud'] },
  { name: 'bluesky', words: ['bluesky', 'bsky'] },
  { name: 'mastodon', words: ['mastodon'] },
  { name: 'wechat', words: ['wechat'] },
  { name: 'viber', words: ['viber'] },
];

export interface ProfileLink {
  platform: string;
  handle: string;
}

/** First path segments that are pages of the platform itself, not someone's profile. */
const NOT_PROFILES = new Set([
  'p', 'reel', 'reels', 'explore', 'tv', 'accounts', 'about', 'legal', 'help', 'privacy', 'policies', 'terms',
  'sharer', 'sharer.php', 'share', 'share.php', 'login', 'login.php', 'signup', 'groups', 'events', 'pages', 'watch',
  'photo.php', 'story.php', 'hashtag', 'search', 'home', 'intent', 'i', 'settings', 'notifications', 'messages',
  'directory', 'videos', 'shorts', 'playlist', 'embed', 'results', 'feed', 'gaming', 'discover', 'tag', 'music',
  'business', 'ads', 'developers', 'jobs', 'careers', 'blog', 'download', 'downloads', 'features', 'support',
  'pin', 'ideas', 'today', 'charts', 'upload', 'stream', 'you', 'games', 'catalog', 'discover',
]); // prettier-ignore

/** The platform and handle a link points at, when it is a profile, invite or chat link. */
export function profileOfLink(host: string, path: string): ProfileLink | undefined {
  const segments = path
    .replace(/[?#].*$/, '')
    .split('/')
    .filter((s) => s !== '');
  const first = segments[0] ?? '';
  const query = path.includes('?') ? new URLSearchParams(path.slice(path.indexOf('?') + 1)) : undefined;
  const profile = (platform: string, handle: string | undefined): ProfileLink | undefined =>
    handle !== undefined && handle !== '' && !NOT_PROFILES.has(handle)
      ? { platform, handle: handle.replace(/^@/, '') }
      : undefined;
  switch (host) {
    case 'instagram.com':
    case 'instagr.am':
      return profile('instagram', first === 'stories' ? segments[1] : first);
    case 'snapchat.com':
      return profile('snapchat', first === 'add' ? segments[1] : first.startsWith('@') ? first : undefined);
    case 'tiktok.com':
      return profile('tiktok', first.startsWith('@') ? first : undefined);
    case 'vm.tiktok.com':
      return profile('tiktok', first);
    case 'facebook.com':
    case 'm.facebook.com':
    case 'fb.com':
    case 'fb.me':
      if (first === 'profile.php') return profile('facebook', query?.get('id') ?? undefined);
      return profile('facebook', first);
    case 'm.me':
      return profile('facebook', first);
    case 'twitter.com':
    case 'mobile.twitter.com':
    case 'x.com':
      return profile('x', first);
    case 'wa.me':
      return profile('whatsapp', first);
    case 'api.whatsapp.com':
    case 'whatsapp.com':
      return profile('whatsapp', query?.get('phone') ?? (first === 'channel' ? segments[1] : undefined));
    case 'chat.whatsapp.com':
      return profile('whatsapp', first);
    case 'discord.gg':
      return profile('discord', first);
    case 'discord.com':
    case 'discordapp.com':
      return profile('discord', first === 'invite' || first === 'users' ? segments[1] : undefined);
    case 't.me':
    case 'telegram.me':
      return profile('telegram', first);
    case 'signal.me':
    case 'signal.group':
      return profile('signal', path.replace(/^\/?#?/, '').slice(0, 64) || undefined);
    case 'youtube.com':
    case 'm.youtube.com':
      if (first.startsWith('@')) return profile('youtube', first);
      return profile('youtube', first === 'c' || first === 'channel' || first === 'user' ? segments[1] : undefined);
    case 'twitch.tv':
      return profile('twitch', first);
    case 'reddit.com':
    case 'old.reddit.com':
      return profile('reddit', first === 'u' || first === 'user' ? segments[1] : undefined);
    case 'linkedin.com':
    case 'uk.linkedin.com':
      return profile('linkedin', first === 'in' ? segments[1] : undefined);
    case 'threads.net':
    case 'threads.com':
      return profile('threads', first.startsWith('@') ? first : undefined);
    case 'bere.al':
      return profile('bereal', first);
    case 'kik.me':
      return profile('kik', first);
    case 'steamcommunity.com':
      return profile('steam', first === 'id' || first === 'profiles' ? segments[1] : undefined);
    case 'join.skype.com':
      return profile('skype', first);
    case 'roblox.com':
    case 'web.roblox.com':
      return profile('roblox', first === 'users' ? segments[1] : undefined);
    case 'vsco.co':
      return profile('vsco', first);
    case 'pinterest.com':
    case 'pinterest.co.uk':
    case 'uk.pinterest.com':
      return profile('pinterest', segments.length === 1 ? first : undefined);
    case 'soundcloud.com':
      return profile('soundcloud', first);
    case 'bsky.app':
      return profile('bluesky', first === 'profile' ? segments[1] : undefined);
    default:
      return undefined;
  }
}
