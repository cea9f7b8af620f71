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
  ])('reports nothing in %j', (text) => {
    expect(detect(email, text)).toEqual([]);
  });

  it('reports only webmail when asked', () => {
    const text = 'jo@gmail.com or bookings@theatre-company.co.uk';
    expect(detect(email, text, { webmailOnly: true }).map((h) => h.written)).toEqual(['jo@gmail.com']);
  });
});
