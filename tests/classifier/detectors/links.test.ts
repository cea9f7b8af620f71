// Links in normalised text. The scan starts only where a link can start; the expectations are what the scan from
// every character found before that.
import { describe, expect, it } from 'vitest';
import { findLinks } from '../../../src/classifier/detectors/links.js';

/** [text, links as [start, end, host, path]] */
const CASES: [string, [number, number, string, string][]][] = [
  ['www.oakfield.sch.uk', [[0, 19, 'oakfield.sch.uk', '']]],
  [
    'see https://x.blogspot.com/p/1 and linktr.ee/jo.',
    [
      [4, 30, 'x.blogspot.com', '/p/1'],
      [35, 47, 'linktr.ee', '/jo'],
    ],
  ],
  ['jo@gmail.com or mail.com', [[16, 24, 'mail.com', '']]],
  ['a:b.com', [[2, 7, 'b.com', '']]],
  ['report.pdf then jo.net', [[16, 22, 'jo.net', '']]],
  ['8.45am e.g. i.e. mr. x', []],
  ['-x.co _y.co /z.co @w.co', []],
  ['https://www.jo.net:8080/a?b=c#d).', [[0, 31, 'jo.net', '/a?b=c#d']]],
  ['x.y.z.co.uk.', [[0, 11, 'x.y.z.co.uk', '']]],
  ['1.2.3.4.com', [[0, 11, '1.2.3.4.com', '']]],
  ['ab.c dd.ee', [[5, 10, 'dd.ee', '']]],
  ['www.x.co.uk/a/b.html.', [[0, 20, 'x.co.uk', '/a/b.html']]],
  ['e.g.uk', [[0, 6, 'e.g.uk', '']]],
  ['localhost.', []],
  ['a.bc', [[0, 4, 'a.bc', '']]],
  ['a..bc', []],
  [
    'the site-x.co.uk/a, and b.co',
    [
      [4, 18, 'site-x.co.uk', '/a'],
      [24, 28, 'b.co', ''],
    ],
  ],
  ['user@host.co.uk and http://a.co', [[20, 31, 'a.co', '']]],
  ['xhttps://a.co', []],
  ['..a.co', []],
  ['a-.b-.co', []],
];

describe('findLinks', () => {
  it.each(CASES)('reads %j', (text, links) => {
    expect(findLinks(text).map((l) => [l.start, l.end, l.host, l.path])).toEqual(links);
  });
});
