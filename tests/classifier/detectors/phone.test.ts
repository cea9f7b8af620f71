import { describe, expect, it } from 'vitest';
import { findDetector } from '../../../src/classifier/detectors/index.js';
import { detect } from './detect.js';

const phone = findDetector('phone')!;

describe('phone detector', () => {
  const found: [string, string, string, string][] = [
    // [text, written number, type, e164]
    ['text me on 07700 900123 tonight', '07700 900123', 'mobile', '+447700900123'],
    ['07700900123', '07700900123', 'mobile', '+447700900123'],
    ['my mobile +44 7700 900123', '+44 7700 900123', 'mobile', '+447700900123'],
    ['call +44 (0)7700 900123', '+44 (0)7700 900123', 'mobile', '+447700900123'],
    ['0044 7700 900123', '0044 7700 900123', 'mobile', '+447700900123'],
    ['077-009-00123', '077-009-00123', 'mobile', '+447700900123'],
    ['077.009.00123', '077.009.00123', 'mobile', '+447700900123'],
    ['ring (01632) 960123 at home', '(01632) 960123', 'fixed-line', '+441632960123'],
    ['0 7 7 0 0 9 0 0 1 2 3', '0 7 7 0 0 9 0 0 1 2 3', 'mobile', '+447700900123'],
    ['O77OO 9OO l23', 'O77OO 9OO l23', 'mobile', '+447700900123'],
    [
      'oh seven seven double oh nine double oh one two three',
      'oh seven seven double oh nine double oh one two three',
      'mobile',
      '+447700900123',
    ],
    ['０７７００ ９００１２３', '０７７００ ９００１２３', 'mobile', '+447700900123'],
    ['07911 123456', '07911 123456', 'mobile', '+447911123456'],
    ['Childline: 0800 1111', '0800 1111', 'toll-free', '+448001111'],
    ['my French number +33 6 12 34 56 78', '+33 6 12 34 56 78', 'mobile', '+33612345678'],
    ['my number: 07911 123456', '07911 123456', 'mobile', '+447911123456'],
  ];
  it.each(found)('finds %j as %j (%s, %s)', (text, written, numberType, e164) => {
    expect(detect(phone, text)).toEqual([{ written, detail: { numberType, e164 } }]);
  });

  it('finds two numbers written side by side as two', () => {
    expect(detect(phone, '07700 900123 07700 900124').map((f) => f.written)).toEqual(['07700 900123', '07700 900124']);
    expect(detect(phone, '07946746291/07880867867').map((f) => f.written)).toEqual(['07946746291', '07880867867']);
  });

  const notNumbers = [
    'the trip is on 12/03/2024 at 10:30',
    'dates: 01.02.2025 - 14.02.2025',
    'it costs £1234567 in total',
    'candidate number 0123456789',
    'your UCAS id is 123-456-7890',
    'ISBN 978-0-14-103614-4',
    'room 1021 then 1022',
    'postcode SW1A 1AA',
    'pages 1200-1300',
    'the years 2024-2025',
    'invoice 01632960002',
    'call 999 in an emergency',
    '011 44 20 8765 4321',
    'the school office is on 01632 960000',
    'or +44 1632 960001',
  ];
  it.each(notNumbers)('reports nothing in %j', (text) => {
    expect(detect(phone, text)).toEqual([]);
  });

  it('reports only the types a rule asks for', () => {
    const text = 'mobile 07911 123456, freephone 0800 1111, office 01632 960999';
    expect(detect(phone, text, { types: ['mobile'] }).map((f) => f.written)).toEqual(['07911 123456']);
    expect(detect(phone, text, { types: ['fixed-line', 'toll-free'] }).map((f) => f.written)).toEqual([
      '0800 1111',
      '01632 960999',
    ]);
  });

  it('reports the school’s own number when allowOrganisation is off', () => {
    expect(detect(phone, 'the office: 01632 960000', { allowOrganisation: false })).toHaveLength(1);
  });

  it('rejects unknown options when rules compile', () => {
    expect(() => phone.optionsSchema.parse({ types: ['landline'] })).toThrow();
    expect(() => phone.optionsSchema.parse({ kind: 'mobile' })).toThrow();
  });
});

describe('phone detector on hostile input', () => {
  it('reads a megabyte of spaced digits in bounded time, reporting what it could not read', () => {
    const text = '0 1 2 3 4 5 6 7 8 9 '.repeat(52_000);
    const hits = detect(phone, text);
    expect(hits.length).toBeGreaterThan(0);
  });
});
