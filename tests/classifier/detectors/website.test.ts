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
  ])('reports nothing in %j', (text) => {
    expect(detect(website, text)).toEqual([]);
  });
});
