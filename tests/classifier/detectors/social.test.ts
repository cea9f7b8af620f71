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
  ])('reports nothing in %j', (text) => {
    expect(detect(social, text)).toEqual([]);
  });

  it('reports only the platforms a rule asks for', () => {
    const text = 'my insta is jo_1 and discord.gg/abc123';
    expect(detect(social, text, { platforms: ['discord'] }).map((h) => h.detail.platform)).toEqual(['discord']);
  });
});
