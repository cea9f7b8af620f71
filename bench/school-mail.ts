// A generator of realistic school e-mails for the benchmarks: staff writing to pupils and parents about trips,
// homework, reports and clubs, about 3 KB each with signature and disclaimer, some multipart/alternative, some
// replies with the pupil's message quoted; a share carry one flagged sentence. Deterministic (seeded).
// Text written for this benchmark; names, numbers (Ofcom drama ranges) and domains are made up.

export interface GeneratedMail {
  raw: string;
  /** Whether a flagged sentence was put in. */
  flagged: boolean;
}

/** mulberry32: a small seeded PRNG, so every run screens the same messages. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = [
  'Year 9 geography field trip on Friday',
  'Homework for next week',
  'Parents evening appointments',
  'Your coursework feedback',
  'Football club cancelled tomorrow',
  'Reading list for the summer',
  'Reminder: consent form for the museum visit',
  'Re: question about the history essay',
  'Science practical write-up',
  'Attendance this half term',
];

const GREETINGS = [
  'Dear parents and carers,',
  'Hi Sam,',
  'Dear Mrs Patel,',
  'Hello Year 9,',
  'Dear Jordan,',
  'Hi all,',
];

const PARAGRAPHS = [
  'The coach will leave from the front of the school at 8.45am sharp, so please make sure your child arrives by 8.30am. We expect to be back by 3.15pm, in time for the usual pick-up. Pupils will need a packed lunch, a waterproof coat and sensible shoes, as we will spend most of the day outside on the river bank taking measurements.',
  'This week we are looking at the causes of the First World War. Please read pages 42 to 48 of the textbook and answer questions 1 to 5 on page 49 in your exercise book. If you were absent on Tuesday, the worksheet is on the class page of the learning platform, and you can collect a paper copy from the humanities office.',
  'Appointments for parents evening can now be booked through the school gateway app. Each appointment lasts five minutes, and teachers will be in the main hall from 4pm until 7pm. If none of the times suit you, please contact the school office and we will arrange a phone call at a better time.',
  'Thank you for handing in your coursework on time. Your introduction is clear and your method is well organised; to move up a grade, you need to explain why your results differ from the prediction and suggest how the experiment could be improved. I have added comments in the margin of your draft on the learning platform.',
  'Unfortunately football club is cancelled tomorrow because the field is waterlogged after this week’s rain. Training will start again next Wednesday at the usual time, weather permitting. Please remember to bring your shin pads and a water bottle, as the tuck shop will be closed for the refurbishment.',
  'Over the summer we would like every pupil to read at least two books from the attached list. The list includes classic and modern novels, poetry and non-fiction, and most titles are available from the school library or the town library. We will talk about what you have read in the first English lesson of the autumn term.',
  'Please return the signed consent form and the £12 contribution by Monday. The visit will go ahead only if we have enough forms, so do get in touch with the school office if there is any difficulty with the cost; the school has a fund that can help, and all requests are treated in confidence.',
  'The practical write-up should include a title, an aim, a risk assessment, a method, a results table, a graph and a conclusion. Remember to label the axes of your graph with units. Write-ups are due on Thursday and should be handed in to your science teacher at the start of the lesson.',
  'Your child’s attendance this half term is 94 percent. We know that illness cannot always be avoided, but every day counts, and pupils whose attendance is above 96 percent tend to make better progress. If there is anything we can do to help, please speak to your child’s form tutor or to the attendance officer.',
  'Well done to everyone who took part in the charity bake sale last week: together you raised £342 for the local food bank. Special thanks go to the Year 10 team who organised the stalls and counted the money at the end of the day, and to all the parents who sent in cakes.',
];

const FLAGGED = [
  'If you need anything just text me on my personal mobile, 07700 900123.',
  'You can add me on snapchat, my username is mr.jones.77.',
  'Don’t tell your mum I messaged you about this, it can be our little secret.',
  'I could give you a lift home after school if you like, just the two of us.',
  'You looked really gorgeous in your prom photos xx',
  'Message me on my private email jonesy1982@gmail.com rather than the school one.',
  'You are so mature for your age, much more than the others in your class.',
  'Why don’t you come round to my house at the weekend when your parents are out?',
];

const QUOTED = [
  '> Hi Mr Jones, I wasn’t sure what to do for question 3, do we have to show\n> our working or just the answer? Also is it due Thursday or Friday?\n> Thanks, Sam',
  '> Dear Miss Khan, could you let me know whether the trip money can be paid\n> in two parts? Many thanks, Mrs Patel',
];

const SIGNATURE = [
  '--',
  'Mr D. Jones',
  'Head of Humanities',
  'Oakfield Academy, Meadow Lane, Oakfield OK1 2AB',
  'Tel: 0118 496 0000 | www.oakfield.sch.uk',
  '',
  'This e-mail and any files sent with it are confidential and intended only for the person to whom it is',
  'addressed. If you have received it in error, please tell the sender and delete it. Oakfield Academy is part',
  'of the Oakfield Learning Trust, a charitable company limited by guarantee registered in England and Wales.',
].join('\n');

export function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function body(random: () => number, flagged: boolean): { text: string; html: string; reply: boolean } {
  const paragraphs = [pick(random, GREETINGS)];
  const count = 3 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) paragraphs.push(pick(random, PARAGRAPHS));
  if (flagged) paragraphs.splice(1 + Math.floor(random() * (paragraphs.length - 1)), 0, pick(random, FLAGGED));
  paragraphs.push('Many thanks,');
  const reply = random() < 0.25;
  const text = `${paragraphs.join('\n\n')}\n${SIGNATURE}\n${reply ? `\nOn Tue, 4 Mar 2025 at 19:02, Sam wrote:\n${pick(random, QUOTED)}\n` : ''}`;
  const html = `<html><body>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}<div class="sig"><pre>${escapeHtml(SIGNATURE)}</pre></div></body></html>`;
  return { text, html, reply };
}

/** `count` messages, `flaggedShare` of them with a flagged sentence. */
export function schoolMails(count: number, flaggedShare = 0.15, seed = 20250304): GeneratedMail[] {
  const random = prng(seed);
  const mails: GeneratedMail[] = [];
  for (let i = 0; i < count; i++) {
    const flagged = random() < flaggedShare;
    const { text, html, reply } = body(random, flagged);
    const subject = reply ? `Re: ${pick(random, SUBJECTS)}` : pick(random, SUBJECTS);
    const headers = [
      'From: "Mr D. Jones" <d.jones@oakfield.sch.uk>',
      'To: sam.taylor@pupils.oakfield.sch.uk',
      `Subject: ${subject}`,
      `Date: Tue, 4 Mar 2025 ${String(8 + (i % 10)).padStart(2, '0')}:15:00 +0000`,
      `Message-ID: <bench-${i}@oakfield.sch.uk>`,
      'MIME-Version: 1.0',
    ];
    let raw: string;
    if (random() < 0.5) {
      const boundary = `b${i}x`;
      raw = [
        ...headers,
        `Content-Type: multipart/alternative; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        text,
        `--${boundary}`,
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        html,
        `--${boundary}--`,
        '',
      ].join('\r\n');
    } else {
      raw = [...headers, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text].join(
        '\r\n',
      );
    }
    mails.push({ raw, flagged });
  }
  return mails;
}

/** A plain-text body of about `bytes` characters made of the ordinary paragraphs (for the scaling benchmark). */
export function bodyOfSize(bytes: number, seed = 7): string {
  const random = prng(seed);
  const out: string[] = [];
  let length = 0;
  while (length < bytes) {
    const p = pick(random, PARAGRAPHS);
    out.push(p);
    length += p.length + 2;
  }
  return out.join('\n\n').slice(0, bytes);
}
