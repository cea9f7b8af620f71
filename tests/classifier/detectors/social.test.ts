import { describe, expect, it } from 'vitest';
import { findDetector } from '../../../src/classifier/detectors/index.js';
import { detect } from './detect.js';

const social = findDetector('social')!;

describe('social detector', () => {
  const found: [string, string, string, string][] = [
    ['my insta is jhughes_99', 'my insta is jhughes_99', 'instagram', 'jhughes_99'],
    ['my insta is jhughes', 'my insta is jhughes', 'instagram', 'jhughes'],
    ['add me on snap: mr.h', 'add me on snap: mr.h', 'snapchat', 'mr.h'],
    ['@mrhughes on tiktok', '@mrhughes on tiktok', 'tiktok', 'mrhughes'],
    ['insta @jo.h', 'insta @jo.h', 'instagram', 'jo.h'],
    ['my snаpchat is mr_h', 'my snаpchat is mr_h', 'snapchat', 'mr_h'],
    ['discord: jo#1234', 'discord: jo#1234', 'discord', 'jo#1234'],
    ['my xbox gamertag is xX_Jo_Xx', 'my xbox gamertag is xX_Jo_Xx', 'xbox', 'xx_jo_xx'],
    ['my psn is jo_plays', 'my psn is jo_plays', 'playstation', 'jo_plays'],
    ['see instagram.com/jhughes.', 'instagram.com/jhughes', 'instagram', 'jhughes'],
    ['https://www.tiktok.com/@mrh_dance', 'https://www.tiktok.com/@mrh_dance', 'tiktok', 'mrh_dance'],
    ['wa.me/447700900123', 'wa.me/447700900123', 'whatsapp', '447700900123'],
    ['join https://chat.whatsapp.com/AbC12dEf', 'https://chat.whatsapp.com/AbC12dEf', 'whatsapp', 'abc12def'],
    ['discord.gg/abc123', 'discord.gg/abc123', 'discord', 'abc123'],
    ['t.me/jhughes', 't.me/jhughes', 'telegram', 'jhughes'],
    ['youtube.com/@mrhughesmaths', 'youtube.com/@mrhughesmaths', 'youtube', 'mrhughesmaths'],
    ['x.com/mrhughes', 'x.com/mrhughes', 'x', 'mrhughes'],
    ['linkedin.com/in/jo-bloggs', 'linkedin.com/in/jo-bloggs', 'linkedin', 'jo-bloggs'],
    ['steamcommunity.com/id/jo_games', 'steamcommunity.com/id/jo_games', 'steam', 'jo_games'],
    // handles with the platform named nearby, no link
    ['my TikTok, @fionamurphy', 'my TikTok, @fionamurphy', 'tiktok', 'fionamurphy'],
    ['my Insta (fionamurphyswims)', 'my Insta (fionamurphyswims)', 'instagram', 'fionamurphyswims'],
    ['find me on insta - fiona.swims', 'find me on insta - fiona.swims', 'instagram', 'fiona.swims'],
    ["I'm @ngozi_adeyemi on Telegram", "I'm @ngozi_adeyemi on Telegram", 'telegram', 'ngozi_adeyemi'],
    ['snap me: mrh_22', 'snap me: mrh_22', 'snapchat', 'mrh_22'],
    ['my discord is hughesy#1234 / hughesy', 'my discord is hughesy#1234', 'discord', 'hughesy#1234'],
    ['add me, username jhughes99 on Snapchat', 'username jhughes99 on Snapchat', 'snapchat', 'jhughes99'],
    ['I am fionaswims on insta', 'I am fionaswims on insta', 'instagram', 'fionaswims'],
    ['jhughes_99 (insta)', 'jhughes_99 (insta)', 'instagram', 'jhughes_99'],
    ['Snapchat: fionaswims', 'Snapchat: fionaswims', 'snapchat', 'fionaswims'],
    ['fiona.swims on insta', 'fiona.swims on insta', 'instagram', 'fiona.swims'],
    ['hmu on insta fiona.swims', 'hmu on insta fiona.swims', 'instagram', 'fiona.swims'],
    ["my snapchat's mrh_22", "my snapchat's mrh_22", 'snapchat', 'mrh_22'],
    ['👻 mrh_22', '👻 mrh_22', 'snapchat', 'mrh_22'],
    ['Snap - mrh22', 'Snap - mrh22', 'snapchat', 'mrh22'],
    ['follow me @fiona.swims on the gram', '@fiona.swims on the gram', 'instagram', 'fiona.swims'],
    ['tiktok @fiona.swims', 'tiktok @fiona.swims', 'tiktok', 'fiona.swims'],
    ["I'm on tiktok under the name fionaswims", 'on tiktok under the name fionaswims', 'tiktok', 'fionaswims'],
    ['find me on TikTok under fiona.swims', 'on TikTok under fiona.swims', 'tiktok', 'fiona.swims'],
    ['add me on discord, my tag is hughesy#1234', 'discord, my tag is hughesy#1234', 'discord', 'hughesy#1234'],
    ['ig → fiona.swims', 'ig → fiona.swims', 'instagram', 'fiona.swims'],
    ['snap 👉 mrh_22', 'snap 👉 mrh_22', 'snapchat', 'mrh_22'],
    ['my insta is “fionaswims”', 'my insta is “fionaswims”', 'instagram', 'fionaswims'],
    ["snapchat: 'mrh_22'", "snapchat: 'mrh_22'", 'snapchat', 'mrh_22'],
    ["add me on snap, it's mrh_22", "snap, it's mrh_22", 'snapchat', 'mrh_22'],
    ['insta is fiona.swims', 'insta is fiona.swims', 'instagram', 'fiona.swims'],
    ['my tiktok? @fiona', 'tiktok? @fiona', 'tiktok', 'fiona'],
    ['discord tag hughesy#1234', 'discord tag hughesy#1234', 'discord', 'hughesy#1234'],
    ["you can find me on insta, i'm fiona.swims", "insta, i'm fiona.swims", 'instagram', 'fiona.swims'],
    // games and apps where children and adults meet
    ['my roblox is jhughes99', 'my roblox is jhughes99', 'roblox', 'jhughes99'],
    ['roblox.com/users/123456/profile', 'roblox.com/users/123456/profile', 'roblox', '123456'],
    ['my minecraft name is jhughes99', 'my minecraft name is jhughes99', 'minecraft', 'jhughes99'],
    ['my switch code: SW-1234-5678-9012', 'SW-1234-5678-9012', 'nintendo', 'sw-1234-5678-9012'],
    ['add me on yubo: fiona_s', 'add me on yubo: fiona_s', 'yubo', 'fiona_s'],
    ['vsco.co/fionaswims', 'vsco.co/fionaswims', 'vsco', 'fionaswims'],
    ['my bluesky is @fiona.bsky.social', 'my bluesky is @fiona.bsky.social', 'bluesky', 'fiona.bsky.social'],
    ['pinterest.com/fionaswims', 'pinterest.com/fionaswims', 'pinterest', 'fionaswims'],
    // disguised platform names
    ['sn@pchat: mrh_22', 'sn@pchat: mrh_22', 'snapchat', 'mrh_22'],
    ['f@cebook: jo.hughes', 'f@cebook: jo.hughes', 'facebook', 'jo.hughes'],
    ['my 1nsta is fionaswims', 'my 1nsta is fionaswims', 'instagram', 'fionaswims'],
    ['my snаpchаt is mr_h', 'my snаpchаt is mr_h', 'snapchat', 'mr_h'], // Cyrillic а
    ['my snap\u200dchat is mr_h', 'my snap\u200dchat is mr_h', 'snapchat', 'mr_h'],
    ['my s n a p c h a t is mrh_22', 'my s n a p c h a t is mrh_22', 'snapchat', 'mrh_22'],
    ['add me on insta gram jhughes_99', 'add me on insta gram jhughes_99', 'instagram', 'jhughes_99'],
    ["my what's app is jo_h", "my what's app is jo_h", 'whatsapp', 'jo_h'],
    ['my whatsap: jo_h', 'my whatsap: jo_h', 'whatsapp', 'jo_h'],
    ['my tik tok is @fiona', 'my tik tok is @fiona', 'tiktok', 'fiona'],
    ['my t1kt0k is @fiona', 'my t1kt0k is @fiona', 'tiktok', 'fiona'],
  ];
  it.each(found)('finds %j as %j (%s %s)', (text, written, platform, handle) => {
    expect(detect(social, text)).toEqual([{ written, detail: { platform, handle } }]);
  });

  it.each([
    'my snap is private',
    'my signal is weak here',
    'that was a snap decision',
    'oh snap: that was close',
    'email @jo about it',
    'follow @oakfieldschool on instagram',
    'facebook.com/OakfieldSchoolPTA',
    'watch youtube.com/watch?v=abc123 for homework',
    'the x is 5',
    'add me on insta',
    'threads of the story',
    'add me on instagram',
    'make a snapchat account',
    'an X-ray of the hand',
    'Part X-36898',
    'x = 12345',
    'the cold snap: frost tonight',
    'a cold snap this week',
    'my instant noodles',
    'an instant reply',
    "I'm always on insta",
    'homework (insta)',
    'join the whatsapp group run by the school office',
    'the school whatsapp group: year7parents',
    'message me on whatsapp',
    'my signal is weak here',
    'snap me a pic',
    'whatsapp me on 07700 900123',
    'e.g. on tiktok',
    'the 2.0 update on instagram',
    'I saw 3.5 million views on youtube',
    'I put it on YouTube as homework',
    'a 5 gram weight',
    'the gram is a unit of mass',
    'we play minecraft in computing club',
    "my insta's fine",
    'tiktok is addictive',
    'the tiktok v2.1 update',
    'youtube 3.5m views',
    'pinterest.com/pin/12345',
    'soundcloud.com/discover',
  ])('reports nothing in %j', (text) => {
    expect(detect(social, text)).toEqual([]);
  });

  it('reports only the platforms a rule asks for', () => {
    const text = 'my insta is jo_1 and discord.gg/abc123';
    expect(detect(social, text, { platforms: ['discord'] }).map((h) => h.detail.platform)).toEqual(['discord']);
  });
});

describe('social detector on hostile input', () => {
  it.each(['insta insta insta ', 'snap: mr.h ', '@a on insta '])('reads a megabyte of %j in bounded time', (unit) => {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const started = performance.now();
    detect(social, text);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('finds an account given after a page of platform names', () => {
    const text = 'insta '.repeat(2_000) + 'my snap is mrh_22 and fiona.swims on tiktok';
    expect(detect(social, text).map((h) => h.detail.handle)).toEqual(['mrh_22', 'fiona.swims']);
  });
});
