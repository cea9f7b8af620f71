// Whole short messages screened with the shipped packs and a school's own settings: the hard look-alikes a
// school sends every day must pass, and the same topics crossing the line must be held.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, compileRules, type MessageInput, type OrganisationSettings } from '../../src/classifier/index.js';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');
const rules = compileRules(
  readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ file: join(RULES_DIR, f), text: readFileSync(join(RULES_DIR, f), 'utf8') })),
);

// A fictional school; numbers are Ofcom drama numbers, domains are reserved example domains.
const organisation: OrganisationSettings = {
  name: 'Oakfield Academy',
  domains: ['oakfield.example.sch.uk'],
  phones: ['0113 496 0000', '07700 900990'],
  accounts: ['@OakfieldAcademy', 'instagram.com/oakfieldacademy', 'www.oakfield.example.sch.uk'],
};

function screen(message: MessageInput, recipientClass: 'pupil' | 'parent' = 'pupil') {
  return classify(message, rules, { recipientClass, organisation });
}

const mustPass: [string, MessageInput][] = [
  [
    'a trip letter with dates, prices and the school office number',
    {
      subject: 'Year 8 trip to York, 25/11/2026',
      text: 'Dear parents and carers,\n\nThe trip costs £12.50, payable by 18/11/2026. Meet at the school gate at 8am for the coach; we will be back by 5.30pm. Questions to the office on 0113 496 0000.\n\nMrs Ahmed',
    },
  ],
  [
    'the school trips mobile and official Instagram',
    {
      text: 'On the day, ring the trips mobile on 07700 900990 if you are running late. Photos will go up on our Instagram, @OakfieldAcademy, afterwards.',
    },
  ],
  [
    'exam admin full of numbers',
    {
      text: 'Your candidate number is 4471, the centre number is 77001 and your seat is in room 14. Your UCAS personal ID is 123-456-7890.',
    },
  ],
  [
    'school dinners and hot weather',
    {
      text: 'Hot dinners are £2.40 from Monday. It will be hot on sports day, so bring water and a sun hat.',
    },
  ],
  [
    'a biology lesson on reproduction and puberty',
    {
      text: 'Next week in biology we study sexual reproduction and the changes of puberty. The human body topic test is on Friday.',
    },
  ],
  [
    'the RSE letter to parents',
    {
      text: 'Dear parents and carers, our relationships and sex education lessons start next term. You can read the curriculum on the school website and you have the right to withdraw your child from sex education.',
    },
  ],
  [
    'Romeo and Juliet homework about love',
    {
      text: 'For homework, find three quotations where Romeo says he loves Juliet, and explain how Shakespeare presents love at first sight.',
    },
  ],
  [
    'a surprise retirement card',
    { text: "Please don't tell the children about the surprise retirement card for Mrs Hill!" },
  ],
  [
    'password advice',
    { text: "Keep your password secret and don't share your password with anyone, even your friends." },
  ],
  [
    'pastoral care that points to the DSL',
    {
      text: 'You can talk to me, or our DSL Mrs Khan, at any time in school. If anything is worrying you, tell a trusted adult.',
    },
  ],
  [
    'parents evening appointments',
    { text: "Parents' evening appointments are on Thursday from 4pm; please book a slot with your child's tutor." },
  ],
  [
    'x as a maths variable and xx as a placeholder',
    { text: 'Solve for x in question 3, then turn to page xx of the booklet.' },
  ],
  [
    'a leaving teacher missing the whole class',
    { text: 'I will miss you all so much, Year 6. You have been a wonderful class.' },
  ],
  [
    'a fixture where parents arrange the pickups',
    {
      text: 'The under-14s play away on Saturday. Parents will drop off at 9.30 and collect from the leisure centre at 12.',
    },
  ],
  [
    'a teacher mentioning their own children professionally',
    {
      text: 'My little one starts nursery on Monday, so I will leave at 3pm that day; Mr Ali will cover period 6.',
    },
  ],
  [
    'a reply that refuses to share a personal number',
    {
      text: "I don't give out my personal number, but you can email me here or message me on Teams.",
    },
  ],
  [
    'an online-safety letter quoting what groomers say',
    {
      text: "Warning signs: someone online says 'you're so mature for your age' or asks you to keep your chats a secret.",
    },
  ],
];

const mustHold: [string, MessageInput][] = [
  ['a personal mobile in the body', { text: 'If you get stuck, text me on 07700 900123.' }],
  ['an obfuscated personal Gmail', { text: 'Write to me at sam dot teacher at gmail dot com over the holidays.' }],
  ['secrecy from parents', { text: "Don't tell your mum I messaged you. It's our little secret." }],
  [
    'a lift home and an invitation to meet',
    { text: 'I can give you a lift home, then we could go for a coffee, just us.' },
  ],
  ['a photo request', { text: 'Send me a pic of you in your new dress.' }],
  ['mature for your age', { text: "You're so mature for your age." }],
  ['night-time contact', { text: 'Are you in bed yet? I cant sleep for thinking about you.' }],
  ['kisses and a kiss emoji', { text: 'Well done today xx 😘' }],
];

describe('whole messages screened with the shipped packs', () => {
  it.each(mustPass)('passes %s', (_name, message) => {
    const verdict = screen(message);
    expect(verdict.findings.map((f) => `${f.rule}: "${f.text}"`)).toEqual([]);
    expect(verdict.action).toBe('pass');
  });

  it.each(mustHold)('holds %s', (_name, message) => {
    expect(screen(message).action).toBe('hold');
  });

  it('holds a personal mobile in a signature but passes the school switchboard there', () => {
    const body = 'Thanks for your help today.\n\n-- \nMr J Smith\nOakfield Academy\n';
    expect(screen({ text: `${body}Mob: 07700 900456\n` }).action).toBe('hold');
    expect(screen({ text: `${body}Tel: 0113 496 0000\n` }).action).toBe('pass');
  });

  it('screens parent mail with the same contact rules', () => {
    expect(screen({ text: 'My own mobile is 07700 900321 if you need me.' }, 'parent').action).toBe('hold');
  });
});
