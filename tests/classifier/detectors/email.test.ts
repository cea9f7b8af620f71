import { describe, expect, it } from 'vitest';
import { findDetector } from '../../../src/classifier/detectors/index.js';
import { detect } from './detect.js';

const email = findDetector('email')!;

describe('email detector', () => {
  const found: [string, string, string, string][] = [
    ['email me at jo.bloggs@gmail.com', 'jo.bloggs@gmail.com', 'gmail.com', 'yes'],
    ['jo dot bloggs at gmail dot com', 'jo dot bloggs at gmail dot com', 'gmail.com', 'yes'],
    ['name [at] hotmail [dot] co [dot] uk', 'name [at] hotmail [dot] co [dot] uk', 'hotmail.co.uk', 'yes'],
    ['name(at)icloud(dot)com', 'name(at)icloud(dot)com', 'icloud.com', 'yes'],
    ['name @ yahoo . com', 'name @ yahoo . com', 'yahoo.com', 'yes'],
    ['Jo.Bloggs@ＧＭＡＩＬ.com', 'Jo.Bloggs@ＧＭＡＩＬ.com', 'gmail.com', 'yes'],
    ['jo@hotmail.fr', 'jo@hotmail.fr', 'hotmail.fr', 'yes'],
    ['jo@proton.me', 'jo@proton.me', 'proton.me', 'yes'],
    ['bookings@theatre-company.co.uk', 'bookings@theatre-company.co.uk', 'theatre-company.co.uk', 'no'],
    // filled, spaced and cut-short addresses
    ['j*o*h*n*@gmail.com', 'j*o*h*n*@gmail.com', 'gmail.com', 'yes'],
    ['j o h n @ gmail.com', 'j o h n @ gmail.com', 'gmail.com', 'yes'],
    ['mail jhughes at g mail dot com', 'jhughes at g mail dot com', 'gmail.com', 'yes'],
    ['jhughes (at) gmail', 'jhughes (at) gmail', 'gmail.com', 'yes'],
    ['write to jhughes at gmail', 'jhughes at gmail', 'gmail.com', 'yes'],
    ['jhughes@gmail', 'jhughes@gmail', 'gmail.com', 'yes'],
    ['jo_b@hotmail tonight', 'jo_b@hotmail', 'hotmail.com', 'yes'],
    ['gmail: jhughes99', 'gmail: jhughes99', 'gmail.com', 'yes'],
    ['my gmail is jhughes', 'my gmail is jhughes', 'gmail.com', 'yes'],
    ['hotmail - jo_b', 'hotmail - jo_b', 'hotmail.com', 'yes'],
    ['my outlook address is jo.b77', 'my outlook address is jo.b77', 'outlook.com', 'yes'],
    ['jhughes at gmail.com', 'jhughes at gmail.com', 'gmail.com', 'yes'],
    ['jhughes99 on gmail', 'jhughes99 on gmail', 'gmail.com', 'yes'],
    ['mrh22 at yahoo', 'mrh22 at yahoo', 'yahoo.com', 'yes'],
    ['yahoo: jhughes', 'yahoo: jhughes', 'yahoo.com', 'yes'],
    ['jo_b (hotmail)', 'jo_b (hotmail)', 'hotmail.com', 'yes'],
    ['jhughes - at - gmail - dot - com', 'jhughes - at - gmail - dot - com', 'gmail.com', 'yes'],
    ['jhughes_at_gmail_dot_com', 'jhughes_at_gmail_dot_com', 'gmail.com', 'yes'],
    ['jhughes@g mail.com', 'jhughes@g mail.com', 'gmail.com', 'yes'],
    ['jhughes@gmai1.com', 'jhughes@gmai1.com', 'gmail.com', 'yes'],
    ['jo @gmail.com', 'jo @gmail.com', 'gmail.com', 'yes'],
    ['meet_at_noon@example.com', 'meet_at_noon@example.com', 'example.com', 'no'],
    ['write to me at sam dot teacher at gmail dot com', 'sam dot teacher at gmail dot com', 'gmail.com', 'yes'],
    ['jo.b at hughes-family.co.uk', 'jo.b at hughes-family.co.uk', 'hughes-family.co.uk', 'no'],
  ];
  it.each(found)('finds %j as %j at %s (webmail: %s)', (text, written, domain, webmail) => {
    const hits = detect(email, text);
    expect(hits.map((h) => h.written)).toEqual([written]);
    expect(hits[0]!.detail).toMatchObject({ domain, webmail });
  });

  it.each([
    'mhughes@oakfield.sch.uk',
    'office@admin.oakfield.sch.uk',
    'meet at the gate at nine',
    'cid:image001.png@01D9A1B2.C3D4E5F0',
    'report.pdf',
    'have a look at gmail for the invite',
    'open an account at gmail',
    'my outlook is positive',
    'the outlook: sunny',
    'jo at outlook',
    'gmail is down today',
    'my gmail is full',
    'I use gmail at home',
    'a proton: positive charge',
    'I blog at fionaswims.net',
    'more at www.thetimes.co.uk',
    'tickets at museum.example.org',
    'e.g. on gmail',
    'v2.0 on outlook',
    'logged in on gmail',
    'tiktok @fiona.swims',
    'jo - at - home',
    'Yahoo! We won the cup',
  ])('reports nothing in %j', (text) => {
    expect(detect(email, text)).toEqual([]);
  });

  it('reports only webmail when asked', () => {
    const text = 'jo@gmail.com or bookings@theatre-company.co.uk';
    expect(detect(email, text, { webmailOnly: true }).map((h) => h.written)).toEqual(['jo@gmail.com']);
  });

  it('leaves webmail out when asked, however the address was written', () => {
    const text = 'jo@gmail.com, jhughes at gmail, gmail: jo_b99 or bookings@theatre-company.co.uk';
    expect(detect(email, text, { excludeWebmail: true }).map((h) => h.written)).toEqual([
      'bookings@theatre-company.co.uk',
    ]);
  });

  it('reports an address given with its provider once', () => {
    expect(detect(email, 'my gmail: jo@gmail.com').map((h) => h.written)).toEqual(['jo@gmail.com']);
  });
});
