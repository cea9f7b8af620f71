import { describe, expect, it } from 'vitest';
import { findDetector } from '../../../src/classifier/detectors/index.js';
import { MAX_NUMBER_PARSES } from '../../../src/classifier/detectors/phone.js';
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
    // without the '+', as WhatsApp shows a number and a wa.me link carries it
    ['whatsapp me on 447700900123', '447700900123', 'mobile', '+447700900123'],
    ['text 44 7700 900123', '44 7700 900123', 'mobile', '+447700900123'],
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

  const disguised: [string, string][] = [
    // [text, written number]: every one dials +447700900123
    ['07700 then 900 then 123', '07700 then 900 then 123'],
    ['my number is 07700 and the rest is 900123', '07700 and the rest is 900123'],
    ['07700 900, followed by 123', '07700 900, followed by 123'],
    ['call me: 07700, 900, 123', '07700, 900, 123'],
    ['seven seven double oh nine hundred one two three', 'seven seven double oh nine hundred one two three'],
    ['oh seven seven hundred, nine hundred, one two three', 'oh seven seven hundred, nine hundred, one two three'],
    ['07700💜900💜123', '07700💜900💜123'],
    ['07700 😘 900 😘 123', '07700 😘 900 😘 123'],
    ['0x7x7x0x0x9x0x0x1x2x3', '0x7x7x0x0x9x0x0x1x2x3'],
    ['07700x900x123', '07700x900x123'],
    ['0*7*7*0*0*9*0*0*1*2*3', '0*7*7*0*0*9*0*0*1*2*3'],
    ['07700~900~123', '07700~900~123'],
    ['07700 900 + 123', '07700 900 + 123'],
    ['07700 ... 900 ... 123', '07700 ... 900 ... 123'],
    ['call me on 07700\n900123', '07700\n900123'],
    ['call me on 07700 | 900 | 123', '07700 | 900 | 123'],
    ['first bit 07700, second bit 900123', '07700, second bit 900123'],
    ['07700 (then) 900123', '07700 (then) 900123'],
    ['my number is 07700 and the last six are 900123', '07700 and the last six are 900123'],
    ['0seven7zero0 9zerozero 123', '0seven7zero0 9zerozero 123'],
    ['O7700 9OO 1two3', 'O7700 9OO 1two3'],
    ['077 double 0 900 123', '077 double 0 900 123'],
    ['⓪⑦⑦⓪⓪ ⑨⓪⓪①②③', '⓪⑦⑦⓪⓪ ⑨⓪⓪①②③'],
    [
      'zero seven seven zero zero nine zero zero one two three',
      'zero seven seven zero zero nine zero zero one two three',
    ],
  ];
  it.each(disguised)('finds the number disguised in %j as %j', (text, written) => {
    expect(detect(phone, text)).toEqual([{ written, detail: { numberType: 'mobile', e164: '+447700900123' } }]);
  });

  it.each([
    ['call me: (415) 333-1604', '(415) 333-1604'],
    ['my cell is 415.333.1604', '415.333.1604'],
    ['text me on 920-450-8099', '920-450-8099'],
  ])('reads a North American number offered as one in %j', (text, written) => {
    expect(detect(phone, text).map((f) => [f.written, f.detail.numberType])).toEqual([
      [written, 'fixed-line-or-mobile'],
    ]);
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
    'read pages 12-14 tonight',
    'we won 3-1 on Saturday',
    'Year 7 and Year 11',
    'pay the PTA: sort code 12-34-56, account 12345678',
    'the room is SW1A 1AA',
    'on 12/03/2025 at 10:30 for £12.50',
    'lessons between 0930 and 1030 then 1130',
    'codes 0123, 4567 and 890 are on the sheet',
    'scores 0113, 496 and 0123',
    'our Houston office is (713) 853-6450',
    'the code is 415 333 1604',
    'the screen is 1920x1080x60',
    'times 10:30, 11:45 then 13:00',
    'the table: 07700 | 900 | 123',
    'in nineteen eighty four',
    'Totals:\n01234\n567890',
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
    const started = performance.now();
    const hits = detect(phone, text);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((h) => h.detail.numberType === 'unknown')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it.each([
    '07700 then '.repeat(100_000),
    '0💜'.repeat(300_000),
    '0x7'.repeat(300_000),
    'call me on 0123\n456 '.repeat(50_000),
  ])('reads a megabyte of crafted pieces and fillers in bounded time', (text) => {
    const started = performance.now();
    detect(phone, text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('reports numbers left unread to every phone rule, so decoys cannot hide a number behind them', () => {
    // Each decoy is shaped like a number but is none, and spends a look-up.
    const decoys = '0123 456 7890, '.repeat(MAX_NUMBER_PARSES);
    for (const number of ['07700 900123', '07700 then 900 then 123', '07700x900x123', '07700\n900123']) {
      const text = `${decoys}text me on ${number}`;
      const last = detect(phone, text, { types: ['mobile'] }).at(-1);
      expect(last?.written).toBe(number);
    }
  });

  it('stops reading numbers after MAX_NUMBER_PARSES look-ups', () => {
    // Each run is a valid number: past the cap they are reported unread, never dropped.
    const text = '07700 900123, '.repeat(MAX_NUMBER_PARSES + 10);
    const hits = detect(phone, text);
    expect(hits).toHaveLength(MAX_NUMBER_PARSES + 10);
    expect(hits[0]!.detail.numberType).toBe('mobile');
    expect(hits[hits.length - 1]!.detail.numberType).toBe('unknown');
  });
});
