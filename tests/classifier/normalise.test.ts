import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/classifier/normalise.js';
import {
  compose,
  identity,
  MappedTextBuilder,
  toOriginalSpan,
  type MappedText,
} from '../../src/classifier/mapped-text.js';
import { htmlToText } from '../../src/classifier/html-text.js';

/** The original text behind the first occurrence of `derived` in the normalised text. */
function originalOf(mapped: MappedText, original: string, derived: string): string {
  const at = mapped.text.indexOf(derived);
  expect(at, `"${derived}" in "${mapped.text}"`).toBeGreaterThanOrEqual(0);
  const span = toOriginalSpan(mapped, at, at + derived.length);
  return original.slice(span.start, span.end);
}

describe('normalise', () => {
  const reads: [string, string, string][] = [
    // [written, normalised text contains, and that came from]
    ['Call me on O77OO 9OO l23', '07700 900 123', 'O77OO 9OO l23'],
    ['０７７００ ９００１２３', '07700 900123', '０７７００ ９００１２３'],
    ['seven seven zero zero nine double one two three', '770091123', 'seven seven zero zero nine double one two three'],
    ['ring oh seven seven double oh treble nine', '07700999', 'oh seven seven double oh treble nine'],
    ['07700 nine double oh one two three', '07700900123', '07700 nine double oh one two three'],
    ['jo dot bloggs at gmail dot com', 'jo.bloggs@gmail.com', 'jo dot bloggs at gmail dot com'],
    ['name [at] gmail [dot] com', 'name@gmail.com', 'name [at] gmail [dot] com'],
    ['name(at)gmail(dot)com', 'name@gmail.com', 'name(at)gmail(dot)com'],
    ['name @ gmail . com', 'name@gmail.com', 'name @ gmail . com'],
    ['JO.BLOGGS {at} HOTMAIL {dot} CO {dot} UK', 'jo.bloggs@hotmail.co.uk', 'JO.BLOGGS {at} HOTMAIL {dot} CO {dot} UK'],
    ['my snаpchat', 'snapchat', 'snаpchat'], // Cyrillic а
    ['ΙΝSΤΑ', 'insta', 'ΙΝSΤΑ'], // Greek capitals
    ['snap\u200bchat', 'snapchat', 'snap\u200bchat'],
    ['se\u00adcret', 'secret', 'se\u00adcret'],
    ['ｓｅｃｒｅｔ', 'secret', 'ｓｅｃｒｅｔ'],
    ['𝐬𝐞𝐱𝐲', 'sexy', '𝐬𝐞𝐱𝐲'],
    ['s̶e̶c̶r̶e̶t̶', 'secret', 's̶e̶c̶r̶e̶t'], // the last strike-through mark follows the word
    ['Don’t tell', "don't tell", 'Don’t tell'],
    ['café', 'cafe', 'café'],
    ['٠٧٧٠٠ ٩٠٠١٢٣', '07700 900123', '٠٧٧٠٠ ٩٠٠١٢٣'],
    // numbers read out with hundreds and tens
    [
      'seven seven double oh nine hundred one two three',
      '7700900123',
      'seven seven double oh nine hundred one two three',
    ],
    [
      'oh seven seven hundred, nine hundred, one two three',
      '07700900123',
      'oh seven seven hundred, nine hundred, one two three',
    ],
    ['oh seven seven oh oh nine hundred and twelve', '07700912', 'oh seven seven oh oh nine hundred and twelve'],
    ['seventy seven double oh', '7700', 'seventy seven double oh'],
    // fillers between every character
    ['j*o*h*n*@gmail.com', 'john@gmail.com', 'j*o*h*n*@gmail.com'],
    ['j o h n @ gmail.com', 'john@gmail.com', 'j o h n @ gmail.com'],
    ['j o h n at gmail dot com', 'john@gmail.com', 'j o h n at gmail dot com'],
    ['j o h n (at) gmail', 'john@gmail', 'j o h n (at) gmail'],
    ['0*7*7*0*0*9*0*0*1*2*3', '07700900123', '0*7*7*0*0*9*0*0*1*2*3'],
    ['s~e~x~y', 'sexy', 's~e~x~y'],
    // addresses without their ending, and sites read out
    ['jhughes at g mail dot com', 'jhughes@gmail.com', 'jhughes at g mail dot com'],
    ['jhughes (at) gmail', 'jhughes@gmail', 'jhughes (at) gmail'],
    ['jhughes at gmail', 'jhughes@gmail', 'jhughes at gmail'],
    ['my site is fionaswims dot com', 'fionaswims.com', 'fionaswims dot com'],
    ['jo-art [dot] co [dot] uk', 'jo-art.co.uk', 'jo-art [dot] co [dot] uk'],
    // control characters and replacement characters between letters, which a mail client shows as nothing
    ['s\0e\0x\0y', 'sexy', 's\0e\0x\0y'],
    ['se\u0001cr\u007fet', 'secret', 'se\u0001cr\u007fet'],
    ['s\ufffde\ufffdcret', 'secret', 's\ufffde\ufffdcret'],
    ['a\u000bb', 'a b', 'a\u000bb'],
    // digits standing for letters inside words
    ["d0n't t3ll y0ur mum", "don't tell your mum", "d0n't t3ll y0ur mum"],
    ['K33P TH1S between us', 'keep this between us', 'K33P TH1S between us'],
    ['ur so s3xy', 'so sexy', 'so s3xy'],
    ['you look h0t.', 'hot.', 'h0t.'],
    ['m4ke it qu1ck', 'make it quick', 'm4ke it qu1ck'],
    ['you l00ked s0 h0t', 'you looked so hot', 'you l00ked s0 h0t'],
  ];
  it.each(reads)('reads %j as containing %j, mapped back to what was written', (written, expected, source) => {
    const mapped = normalise(written);
    expect(mapped.text).toContain(expected);
    expect(originalOf(mapped, written, expected)).toBe(source);
  });

  const names: [string, string, string][] = [
    ['sn@pchat', 'snapchat', 'sn@pchat'],
    ['f@cebook', 'facebook', 'f@cebook'],
    ['1nsta', 'insta', '1nsta'],
    ['add me on 1nstagr@m', 'instagram', '1nstagr@m'],
    ['s n a p c h a t', 'snapchat', 's n a p c h a t'],
    ['s.n.a.p.c.h.a.t', 'snapchat', 's.n.a.p.c.h.a.t'],
    ['snap\u200dchat', 'snapchat', 'snap\u200dchat'],
    ['snаpchаt', 'snapchat', 'snаpchаt'], // Cyrillic а
    ['insta gram', 'instagram', 'insta gram'],
    ["what's app", 'whatsapp', "what's app"],
    ['whatsap me', 'whatsapp', 'whatsap'],
    ['watsapp', 'whatsapp', 'watsapp'],
    ['on tik tok', 'tiktok', 'tik tok'],
    ['t1kt0k', 'tiktok', 't1kt0k'],
    ['y0u tube', 'youtube', 'y0u tube'],
    ['hot mail', 'hotmail', 'hot mail'],
    ['ꜱɴᴀᴘᴄʜᴀᴛ', 'snapchat', 'ꜱɴᴀᴘᴄʜᴀᴛ'], // small capitals from a "fancy text" generator
    ['ⓢⓝⓐⓟⓒⓗⓐⓣ', 'snapchat', 'ⓢⓝⓐⓟⓒⓗⓐⓣ'],
    ['🇸🇳🇦🇵🇨🇭🇦🇹', 'snapchat', '🇸🇳🇦🇵🇨🇭🇦🇹'], // regional indicator letters
    ['snap\u{E0020}chat', 'snapchat', 'snap\u{E0020}chat'], // a tag character
    ['s⠀n⠀a⠀p⠀c⠀h⠀a⠀t', 'snapchat', 's⠀n⠀a⠀p⠀c⠀h⠀a⠀t'], // braille blanks
  ];
  it.each(names)('reads the disguised name in %j as %j, mapped back to %j', (written, name, source) => {
    const mapped = normalise(written);
    expect(mapped.text).toContain(name);
    expect(originalOf(mapped, written, name)).toBe(source);
  });

  const untouched = [
    'meet at the gate at nine',
    'see you at home.Then we go',
    'one or two of you',
    'lol that was cool2',
    'the o2 arena',
    'look at this dot com bubble',
    'kisses 😘❤️',
    'go team 🇬🇧🇮🇪',
    'Room 101 at 3.30',
    'that was a snap decision',
    'a cold snap this week',
    'an instant reply',
    'the snapshot is attached',
    'wash your face. Book a slot',
    'have a look at gmail',
    'an account at gmail',
    'the outlook at work is good',
    'two hundred and fifty pupils',
    'one hundred percent',
    'a b c d',
    'j.o.h.n',
    'u r a star',
    'i n s t a',
    'the dot on the i',
    'the dot com boom',
    'the only fans in the ground',
    'plan a b c at the shop',
    'an anecdote about the dotted line',
    'year 10 trip to the o2 arena, room 3b at 4pm on the 7th',
    'bring your ks3 books and an a4 folder',
    'gr8 c u l8r 2nite m8',
    'user123abc and x1y2z3',
    'office@st4ndrews.sch.uk and e4education.com/t3st',
    'follow @j0hn5mith or jo_h0t',
    'a well-r0unded answer',
  ];
  it.each(untouched)('leaves %j as it reads (only lower-cased)', (text) => {
    expect(normalise(text).text).toBe(text.toLowerCase());
  });

  const stretched: [written: string, normalised: string][] = [
    ['you are sooo cute', 'you are so cute'],
    ['i misss youuu', 'i miss you'],
    ['SEXXXY', 'sexy'],
    ['babeee', 'babe'],
    ["don't telll", "don't tell"],
    ['beautifulll', 'beautiful'],
    ['goooood luck', 'good luck'], // no rule says "good": a stretch with no rule word is read as two letters
    ['hellllo', 'hello'],
  ];
  it.each(stretched)("reads the stretched %j as %j with the rules' words", (written, normalised) => {
    const vocabulary = new Set(['so', 'cute', 'miss', 'you', 'sexy', 'babe', 'tell', 'beautiful']);
    const mapped = normalise(written, undefined, vocabulary);
    expect(mapped.text).toBe(normalised);
    expect(toOriginalSpan(mapped, 0, mapped.text.length)).toEqual({ start: 0, end: written.length });
  });

  it.each(['xxx', 'xoxooo', 'www.oakfield.sch.uk', 'zzzz'])(
    'leaves %j as written: a word of one letter, kisses or a web address',
    (text) => {
      expect(normalise(text, undefined, new Set(['x', 'xo', 'w', 'z'])).text).toBe(text);
    },
  );

  it('maps every normalised character inside the original text', () => {
    const written = 'Ｃａｌｌ O77OO nine double one two three or jo [at] gmail [dot] com 😘 snap\u200bchat';
    const mapped = normalise(written);
    expect(mapped.starts.length).toBe(mapped.text.length);
    for (let i = 0; i < mapped.text.length; i++) {
      expect(mapped.starts[i]).toBeGreaterThanOrEqual(0);
      expect(mapped.ends[i]).toBeLessThanOrEqual(written.length);
      expect(mapped.starts[i]).toBeLessThan(mapped.ends[i]!);
    }
  });

  it.each(['[at][dot]', '[at]gmail dot com ', 'a at b dot c at ', 'x dot com ', '🇸🇳', 'one two three four '])(
    'normalises a megabyte of crafted %j in bounded time',
    (unit) => {
      const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
      const started = performance.now();
      normalise(text);
      expect(performance.now() - started).toBeLessThan(3_000);
    },
  );

  it('normalises a megabyte of ordinary mail in well under a second', () => {
    const text = 'Dear parents, the trip on 12/03 costs £15. Call the office on 01632 960000. '.repeat(14_000);
    const mapped = normalise(text);
    expect(mapped.text.length).toBe(text.length);
  });
});

describe('MappedText', () => {
  it('composes two derivations back to the first original', () => {
    const inner = normalise('Hi ＪＯ');
    const outer = normalise(inner.text.toUpperCase());
    const both = compose(outer, inner);
    const at = both.text.indexOf('jo');
    expect(toOriginalSpan(both, at, at + 2)).toEqual({ start: 3, end: 5 });
  });

  it('keeps what the outer derivation carries about its text (the gates normalise read)', () => {
    const inner = identity('<p>Hi ＪＯ</p>');
    const outer = normalise('Hi ＪＯ');
    expect(compose(outer, inner).gates).toBe(outer.gates);
  });

  it('builds an aligned text without a map until a char leaves its own offset', () => {
    const aligned = new MappedTextBuilder(4);
    aligned.emitAligned('ab', 0);
    aligned.emit('c', 2, 3);
    const text = aligned.build();
    expect([...text.starts, ...text.ends]).toEqual([0, 1, 2, 1, 2, 3]);

    const shifted = new MappedTextBuilder(4);
    shifted.emitAligned('ab', 0);
    shifted.emit('', 2, 5);
    shifted.emit('x', 5, 7);
    shifted.emitAligned('yz', 7);
    const built = shifted.build();
    expect(built.text).toBe('abxyz');
    expect([...built.starts]).toEqual([0, 1, 5, 7, 8]);
    expect([...built.ends]).toEqual([1, 2, 7, 8, 9]);
  });

  it('composes an aligned outer text onto the inner map as it is', () => {
    const inner = htmlToText('<p>Hi <b>Jo</b></p>');
    const both = compose(normalise(inner.text), inner);
    expect(both.text).toBe('hi jo');
    expect([...both.starts]).toEqual([...inner.starts]);
    expect(toOriginalSpan(both, 3, 5)).toEqual(toOriginalSpan(inner, 3, 5));
  });

  it('maps an identity text to itself and an empty span to a point', () => {
    const m = identity('hello');
    expect(toOriginalSpan(m, 1, 3)).toEqual({ start: 1, end: 3 });
    expect(toOriginalSpan(m, 2, 2)).toEqual({ start: 2, end: 2 });
    expect(toOriginalSpan(m, 5, 5)).toEqual({ start: 5, end: 5 });
  });
});
