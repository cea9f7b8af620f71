// The shipped packs on language their examples do not spell out: the phrase rules must read the same
// behaviour in other tenses, contractions, shorthand and with words in between; exceptions must look at the
// sentence that excuses a match without hiding a real line next to it; a wink takes its meaning from the line
// before it.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, compileRules, type OrganisationSettings } from '../../src/classifier/index.js';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');
const rules = compileRules(
  readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ file: join(RULES_DIR, f), text: readFileSync(join(RULES_DIR, f), 'utf8') })),
);
const organisation: OrganisationSettings = {
  name: 'Oakfield Academy',
  domains: ['oakfield.example.sch.uk'],
  phones: [],
  accounts: [],
};
const screen = (text: string) => classify({ text }, rules, { recipientClass: 'pupil', organisation });
const rulesOf = (text: string) => screen(text).findings.map((f) => f.rule);

describe('phrase rules read the behaviour, not one wording', () => {
  it.each([
    ['you have been looking so pretty this term', 'suggestive-looks-second-person'],
    ["Honestly, you're looking really stunning in that", 'suggestive-looks-second-person'],
    ['y r u so cute', 'suggestive-looks-second-person'],
    ["I've completely fallen for you", 'suggestive-falling-for-you'],
    ['i reckon im falling in love with u', 'suggestive-falling-for-you'],
    ['Where are we going to meet on Sunday?', 'personal-arranges-meeting'],
    ['when could we meet up, just the two of us?', 'personal-arranges-meeting'],
    ['Want me to come and pick you up after the party?', 'personal-offers-to-pick-up'],
    ['whereabouts in Leeds do you live?', 'personal-asks-where-pupil-lives'],
    ['have u got any more selfies?', 'personal-asks-if-pupil-has-photos'],
  ])('holds "%s" (%s)', (text, rule) => {
    expect(rulesOf(text)).toContain(rule);
    expect(screen(text).action).toBe('hold');
  });

  it.each([
    "You're pretty confident with algebra now.",
    'You were pretty close to full marks.',
    'Where will you meet your parents after the concert?',
    'How are we going to meet the coursework deadline?',
    "I can't pick you up; please ask your mum to collect you from the leisure centre.",
    'I fell for the fire-drill joke as well.',
    'Do you have a photo of your poster for the display?',
  ])('passes "%s"', (text) => {
    expect(screen(text).action).toBe('pass');
  });
});

describe('exceptions look where the reason is', () => {
  it('a surprise for a colleague named in the sentence before excuses "keep it secret"', () => {
    expect(screen("Mrs Green's leaving collection is in the staff room. Keep it secret from her!").action).toBe('pass');
  });

  it('a surprise "just for you" does not excuse the secrecy that follows it', () => {
    expect(screen("I've got a surprise just for you. Keep it our little secret and don't tell your dad.").action).toBe(
      'hold',
    );
  });

  it('a drama-rehearsal e-mail cannot hide a romantic line behind the set text', () => {
    const text =
      'Great work in the balcony scene today, Romeo and Juliet are coming on. I wanted to kiss you for real.';
    expect(rulesOf(text)).toContain('suggestive-physical-intimacy');
    expect(screen(text).action).toBe('hold');
  });

  it('English homework on what a character says still passes', () => {
    const text = 'For homework, find the line where Juliet says she would kiss Romeo, and explain what it shows.';
    expect(screen(text).action).toBe('pass');
  });
});

describe('a wink or heart takes its meaning from the line before', () => {
  it('holds a wink after a line about being in bed', () => {
    expect(screen('Lying in bed on my own, bored. Keep me company? 😉').action).toBe('hold');
  });

  it('only tags a heart after a thank-you for a card', () => {
    expect(screen('Thank you for the card, Year 4. Love from Mrs Patel ❤️').action).toBe('tag');
  });
});
