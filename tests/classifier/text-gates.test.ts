// Text gates only skip work that could find nothing: with them, or with every gate open, normalise and every
// detector give the same result. Checked on disguises a gate must let through and on every shipped rule example.
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../src/classifier/detectors/index.js';
import { normalise } from '../../src/classifier/normalise.js';
import { OPEN_GATES, scanGates } from '../../src/classifier/text-gates.js';
import { compileRules } from '../../src/classifier/index.js';
import { prng, pick } from '../../bench/school-mail.js';
import { readPackFolder, shippedRulesDir } from '../../src/config/rule-packs.js';
import { OAKFIELD } from './detectors/detect.js';

/** Disguises each gate must let through, written where look-arounds are tested hardest: at the start and the end. */
const DISGUISES: [written: string, normalised: string][] = [
  ['s n @ p c h a t', 'snapchat'],
  ['add me on s n @ p c h a t', 'add me on snapchat'],
  ['sn@pchat is where i am', 'snapchat is where i am'],
  ['my 1nsta', 'my insta'],
  ['t1kt0k', 'tiktok'],
  ['ssnapchatt', 'snapchat'],
  ['f@cebook.', 'facebook.'],
  ['snаpchat', 'snapchat'], // Cyrillic а
  ['ΙΝSΤΑ', 'insta'], // Greek capitals
  ['S.N.A.P.C.H.A.T', 'snapchat'],
  ['w h a t s a p p', 'whatsapp'],
  ['o77oo 9oo l23', '07700 900 123'],
  ['ring o77oo 9oo l23', 'ring 07700 900 123'],
  ['l23 o77', '123 077'],
  ['seven seven double oh nine', '77009'],
  ['call 07700 nine double oh one two three', 'call 07700900123'],
  ['0seven7zero0 9zerozero', '07700900'],
  ['1two3 4five6', '123456'],
  ['one 2 3 4', '1234'],
  ['it ends 0 1 two three', 'it ends 0123'],
  ['jo dot bloggs at g mail dot com', 'jo.bloggs@gmail.com'],
  ['jo dot bloggs at gmail dot com!', 'jo.bloggs@gmail.com!'],
  ['jo (at) gmail', 'jo@gmail'],
  ['name [at] gmail [dot] com', 'name@gmail.com'],
  ['j o h n at gmail dot com', 'john@gmail.com'],
  ['j o h n @gmail.com', 'john@gmail.com'],
  ['j*o*h*n*@gmail.com', 'john@gmail.com'],
  ['0*7*7*0*0*9*0*0*1*2*3', '07700900123'],
  ['s~e~x~y', 'sexy'],
  ['fionaswims dot com', 'fionaswims.com'],
  ['see jo-art [dot] co [dot] uk', 'see jo-art.co.uk'],
  ["d0n't t3ll", "don't tell"],
  ['so s3xy', 'so sexy'],
  ['k33p th1s', 'keep this'],
  ['n0', 'no'],
  ['sooo', 'soo'],
  ['we miss u sooooo', 'we miss u soo'],
];

/** Contact details each detector must still find behind its gates. */
const DETAILS = [
  'call me on 07700\n900123',
  '0x7x7x0x0x9x0x0x1x2x3',
  '07700x900x123',
  '07700 💜 900 💜 123',
  '07700 ❤️ 900 👍🏽 123',
  '+44 (0)7700 900123',
  'my number is 07700 then 900 then 123',
  'ring me: 07700, 900, 123',
  'my number is 07700 and the rest is 900123',
  '07700...900...123',
  'text 07700 - 900 - 123',
  '07700 (900) 123',
  'www.jo.net is my blog',
  'my blog is jo.co',
  'my site is jo.uk.',
  'https://x.blogspot.com/p',
  'add me on snap: mr.h',
  '👻 mrh_22',
  'sw-1234-5678-9012',
  'my gmail is jo_b',
  'jo@gmail.com',
];

/** Everything a detector reports, with every gate open or with the part's gates. */
function detectorsFind(text: string, gated: boolean): unknown[] {
  const mapped = normalise(text);
  return [...DETECTORS.values()].map((detector) => {
    const options = detector.optionsSchema.parse({});
    const context = gated ? { organisation: OAKFIELD, gates: mapped.gates } : { organisation: OAKFIELD };
    return detector.detect(mapped, options, context);
  });
}

function expectGatingChangesNothing(text: string): void {
  const gated = normalise(text);
  const open = normalise(text, () => OPEN_GATES);
  expect(gated.text, text).toBe(open.text);
  expect([...gated.starts], text).toEqual([...open.starts]);
  expect([...gated.ends], text).toEqual([...open.ends]);
  expect(detectorsFind(text, true), text).toEqual(detectorsFind(text, false));
}

describe('text gates', () => {
  it.each(DISGUISES)('let %j through to be read as %j', (written, normalised) => {
    expect(normalise(written).text).toBe(normalised);
    expectGatingChangesNothing(written);
  });

  it.each(DETAILS)('let a detector find %j', (text) => {
    expect(detectorsFind(text, true).flat()).not.toEqual([]);
    expectGatingChangesNothing(text);
  });

  it('change nothing normalise or a detector finds in any shipped rule example', async () => {
    const rules = compileRules(await readPackFolder(shippedRulesDir()));
    const examples = rules.rules.flatMap((rule) => [...rule.examples.flag, ...rule.examples.pass]);
    expect(examples.length).toBeGreaterThan(100);
    for (const example of examples) expectGatingChangesNothing(example.text);
  });

  it('change nothing in text made of disguises, numbers and links run together', () => {
    const pieces = [
      ...DISGUISES.map(([written]) => written),
      'snap', 'insta', 'gmail', 'outlook', 'hotmail.co.uk', 'www.jo.net', 'jo.net/about', 'instagram.com/jo',
      'wa.me/447700900123', 'sw-1234-5678-9012', '07700 900123', '0118 496 0000', '+44 7700 900123', 'one', 'two',
      'double', 'oh', 'o', 'l', '|', '1o1', 'at', '@', 'dot', '.', '(.)', '[at]', '-', '_', '*', '~', '👻', 'my',
      'is', 'on', 'me', 'x', 'jo_b99', 'mr.h', 'dot com', 'username', 'insta:', 'gamertag', '0x7x7x0x0x9', 'x0x0x1x2x3',
      '07700\n900123', '💜', 'then', 'and the rest is', '123', '900',
    ]; // prettier-ignore
    const joins = [' ', '', '\n', ', ', '.', '-', ' at ', ' dot ', '\u00a0', '\u2003', '\t'];
    const random = prng(20250304);
    for (let i = 0; i < 400; i++) {
      let text = pick(random, pieces);
      const count = 1 + Math.floor(random() * 6);
      for (let k = 0; k < count; k++) text += pick(random, joins) + pick(random, pieces);
      expectGatingChangesNothing(text);
    }
  });

  it('change nothing the phone detector reads in digits run together with every kind of link', () => {
    const joins = [' ', '.', '-', '+', '-+', '.+', ' - ', ', ', '...', '--', ' then ', ' and the rest is ', '(', ') '];
    const random = prng(44);
    for (let i = 0; i < 600; i++) {
      let text = random() < 0.5 ? 'call me on ' : '';
      const groups = 2 + Math.floor(random() * 3);
      for (let k = 0; k < groups; k++) {
        if (k > 0) text += pick(random, joins);
        const digits = 1 + Math.floor(random() * 13);
        for (let d = 0; d < digits; d++) text += k === 0 && d === 0 ? '0' : String(Math.floor(random() * 10));
      }
      expectGatingChangesNothing(text);
    }
  });

  it('are read in one set that re2 builds within its memory bound', () => {
    // Were the set not built, every gate would be open: correct, but as slow as before the gates.
    expect(scanGates('please read pages 42 to 48 and bring a packed lunch at 8.45am.')).not.toBe(OPEN_GATES);
  });
});
