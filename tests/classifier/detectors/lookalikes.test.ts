// Hard look-alikes from ordinary school mail: numbers, names and words that resemble contact details but are not.
// Every detector is run over each line with a school's own settings; none may report anything.
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../../src/classifier/detectors/index.js';
import { detect } from './detect.js';

const lookalikes = [
  // numbers that are not phone numbers
  'Meet at the gate at 3.15; the coach leaves at 3.30.',
  'Invoice 0770 0900 123 is attached.',
  'Candidate number 0770 9001.',
  'Our sort code is 20-00-00 and account number 12345678.',
  'The ISBN is 978-0-7432-7356-5.',
  'Year 11 mock exams: 12/01/2026 - 16/01/2026.',
  "We won 3-1 against St Mary's; the score at half time was 1-1.",
  'Read pages 107-123 for homework.',
  'Room B12, period 3-4.',
  'Call 999 or 111 in an emergency.',
  'The match is on the 7th, then the 9th, then the 12th.',
  'Question 2: 0.5 x 0.5 then 0.25 x 4',
  'ParentPay reference 07700900.',
  'The concert is at 7 then the disco at 9 then pick up at 10.30',
  'Take the 07:00 train then the 09:00 bus.',
  'Bring £1.50, £2.00 and £0.50 coins.',
  'The ratio is 1:2:3:4:5:6:7:8:9:10.',
  'Attendance: 96.5% then 97.1% then 98.0%.',
  'See section 4.2.1 then 4.3 then 5.1 of the handbook.',
  'Lunch is £2.40 (a saving of 10p) then £2.50 from January.',
  'His class is 7X2 then 8X2 next year.',
  // the school's own number, domain and accounts
  'Tickets £7.50, call the box office on 01632 960000.',
  'Phone the office: 01632 960000 then press 2.',
  'Send your coursework to homework@oakfield.sch.uk',
  'Email the exams officer at exams at oakfield dot sch dot uk',
  'Follow @oakfieldschool on Instagram for updates.',
  "I've posted the photos on the school Instagram @oakfieldschool.",
  'Our Facebook page is facebook.com/OakfieldSchoolPTA',
  // platform names used as words, or named without an account
  'Join the Year 7 WhatsApp group run by the school office.',
  'Snap circuits kits are in the lab.',
  'Please bring a snack; instant noodles are not allowed.',
  'The X-ray machine at the hospital visit.',
  'Watch the clip on YouTube: youtube.com/watch?v=abc123',
  'Use the code snap2024 to log in to Sparx.',
  'Her Instagram post about the trip was lovely.',
  'The outlook for the weekend is sunny.',
  'The telegram in the history lesson was from 1917.',
  'Discord between the two characters drives the plot.',
  'Signal your turn before you cycle.',
  'Threads of the story come together in chapter 9.',
  'Check the dot on the i.',
  '5 x 3 = 15, and x - 2 = 7.',
  'Twitter was renamed X in 2023.',
  'The lesson covers Snapchat safety and Instagram privacy settings.',
  'Never share your Snapchat username with strangers.',
  'Please use the hashtag #oakfieldsports on Instagram.',
  "I'll be at the Gmail training session on Tuesday.",
  'Our Instagram page has the photos from sports day.',
  'My website for revision is bbc.co.uk/bitesize.',
  'Look at www.bbc.co.uk/news at home.',
];

describe('hard look-alikes in school mail', () => {
  it.each(lookalikes)('no detector reports anything in %j', (text) => {
    for (const detector of DETECTORS.values()) expect(detect(detector, text), detector.name).toEqual([]);
  });
});
