import { describe, expect, it } from 'vitest';
import { findDetector } from '../../../src/classifier/detectors/index.js';
import { detect } from './detect.js';

const website = findDetector('website')!;

describe('website detector', () => {
  const found: [string, string, string][] = [
    ['read jhughes.blogspot.com', 'jhughes.blogspot.com', 'blog'],
    ['https://mrhughes.wordpress.com/2025/03/trip/', 'https://mrhughes.wordpress.com/2025/03/trip/', 'blog'],
    ['medium.com/@jo', 'medium.com/@jo', 'blog'],
    ['linktr.ee/mrh', 'linktr.ee/mrh', 'link-in-bio'],
    ['jo-art.carrd.co', 'jo-art.carrd.co', 'website'],
    ['sites.google.com/view/mrhughes', 'sites.google.com/view/mrhughes', 'website'],
    ['my blog is www.jhughes.net', 'www.jhughes.net', 'personal-site'],
    ['check out my own website: jo-art.co.uk.', 'jo-art.co.uk', 'personal-site'],
    ['paypal.me/jhughes', 'paypal.me/jhughes', 'payment-page'],
    // personal sites introduced before or after, written out or read out
    ['my site is www.fionaswims.example.com', 'www.fionaswims.example.com', 'personal-site'],
    ['see my photography website www.jonesy.example.com', 'www.jonesy.example.com', 'personal-site'],
    ['my site is fionaswims dot com', 'fionaswims dot com', 'personal-site'],
    ['my blog: jo-art [dot] co [dot] uk', 'jo-art [dot] co [dot] uk', 'personal-site'],
    ['fionaswims dot com is my blog', 'fionaswims dot com', 'personal-site'],
    ['www.fionaswims.com (my blog)', 'www.fionaswims.com', 'personal-site'],
    ['I blog at fionaswims.net', 'fionaswims.net', 'personal-site'],
    ['I have a website, jo-art.co.uk, have a look', 'jo-art.co.uk', 'personal-site'],
    ["I've got a little photography site: jonesy.example.net", 'jonesy.example.net', 'personal-site'],
    ['check out my stuff at jo-art.co.uk', 'jo-art.co.uk', 'personal-site'],
    ['my site is www dot fionaswims dot com', 'www dot fionaswims dot com', 'personal-site'],
    ['I made a website! fionaswims.net', 'fionaswims.net', 'personal-site'],
    ['etsy.com/shop/FionaSwims', 'etsy.com/shop/FionaSwims', 'shop'],
    ['depop.com/fionaswims', 'depop.com/fionaswims', 'shop'],
    ['fiona.bandcamp.com', 'fiona.bandcamp.com', 'creator-page'],
  ];
  it.each(found)('finds %j as %j (%s)', (text, written, kind) => {
    const hits = detect(website, text);
    expect(hits.map((h) => h.written)).toEqual([written]);
    expect(hits[0]!.detail.kind).toBe(kind);
  });

  it.each([
    'see https://www.bbc.co.uk/bitesize/guides/zxyz',
    'my website for revision is bbc.co.uk/bitesize',
    'the school site oakfield.sch.uk/news',
    'wordpress.com',
    'report.pdf and notes.docx',
    'e.g. this, i.e. that',
    'sites.google.com/oakfield.sch.uk/maths',
    'instagram.com/jhughes',
    'www.aqa.org.uk/subjects',
    'look at www.thetimes.co.uk today',
    'look at this dot com bubble',
    'my favourite site is www.thetimes.co.uk',
    'my go-to page is www.thetimes.co.uk',
    'the museum site is www.sciencemuseum.org.uk',
    'my class page is www.oakfield.sch.uk/7b',
    'in my opinion the best page is www.thetimes.co.uk',
    'more at www.thetimes.co.uk',
    'depop.com',
    'my site is down? use www.bbc.co.uk/bitesize',
  ])('reports nothing in %j', (text) => {
    expect(detect(website, text)).toEqual([]);
  });
});

describe('website detector on hostile input', () => {
  it.each(['my blog fiona.swims ', 'i x.com ', 'jo.blogspot.com '])(
    'reads a megabyte of %j in bounded time',
    (unit) => {
      const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
      const started = performance.now();
      detect(website, text);
      expect(performance.now() - started).toBeLessThan(3_000);
    },
  );
});
