// The quick reader of plain and multipart/alternative mail must give exactly what mailparser gives, for every
// message it accepts: fixtures, the corpus, the benchmark's school mail, and generated variations of their shape.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { readPlainMail } from '../../src/classifier/plain-mime.js';
import { loadCorpus } from '../../src/eval/load-corpus.js';
import { pick, prng, schoolMails } from '../../bench/school-mail.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PARSER_OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true };

interface Seen {
  subject?: string;
  text?: string;
  html?: string | false;
  attachments: number;
}

async function mailparserReads(raw: Buffer): Promise<Seen> {
  const mail = await simpleParser(raw, PARSER_OPTIONS);
  return { subject: mail.subject, text: mail.text, html: mail.html, attachments: mail.attachments.length };
}

/** Checks every message the quick reader accepts against mailparser; returns how many it accepted. */
async function compareAll(raws: readonly Buffer[]): Promise<number> {
  let accepted = 0;
  for (const raw of raws) {
    const quick = readPlainMail(raw);
    if (quick === undefined) continue;
    accepted++;
    const seen: Seen = { html: quick.html, attachments: quick.attachments.length };
    if (quick.subject !== undefined) seen.subject = quick.subject;
    if (quick.text !== undefined) seen.text = quick.text;
    expect({ raw: raw.toString('latin1'), ...seen }).toEqual({
      raw: raw.toString('latin1'),
      ...(await mailparserReads(raw)),
    });
  }
  return accepted;
}

function emlFiles(folder: string): Buffer[] {
  const dir = path.join(ROOT, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => readFileSync(path.join(dir, name)));
}

/** Messages in the accepted shapes and just outside them: line endings, folding, parameters, delimiters, bodies. */
function variations(count: number): Buffer[] {
  const random = prng(42);
  const subjects = [
    'Trip on Friday',
    '  padded  ',
    '',
    'tab\there',
    'folded\r\n continues',
    'folded\r\n\tby tab',
    'a  \r\n  b',
    'Re: =?utf-8?q?caf=C3=A9?=',
    'x'.repeat(200),
  ];
  const bodies = [
    'Hello,\r\n\r\nSee you Friday.\r\n',
    '',
    '\r\n',
    'one line',
    'café ’ £12\r\n',
    'bare\rcarriage\r\n',
    'lf\nonly\n',
    '--b\r\nnot a delimiter in plain text\r\n',
    '\u0000nul',
    'trailing   \r\n\r\n\r\n',
    '\ud83d\ude18 kiss',
    'soft=\r\nbreak and caf=C3=A9 =E2=80=99',
    'bad=ZZ escape, =3d and =3D',
    'ends with =',
    'blanks at end  \r\nnext\t\r\n',
    'eq=\n lf',
    '=\r\n',
    'tail  ',
    'soft =  \r\nbreak after blanks',
  ];
  const types = [
    'text/plain',
    'text/plain; charset=utf-8',
    'TEXT/PLAIN; CHARSET="UTF-8"',
    'text/plain; charset=us-ascii',
    'text/plain;charset=utf-8;',
    'text/plain; charset=iso-8859-1',
    'text/plain; format=flowed',
    'text/plain; charset=utf-8 (comment)',
    'text/html',
    undefined,
  ];
  const encodings = [undefined, '7bit', '8bit', '8BIT ', 'binary', 'quoted-printable', 'base64'];
  const boundaries = ['b1', '"b1"', '"----=_Part_1_2.3"', 'b1; charset=utf-8', '"has space"', '"b1"; x=y'];
  const delimiterTails = ['', '', '', ' ', '--x', '\t'];
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const eol = random() < 0.8 ? '\r\n' : '\n';
    const header: string[] = [`From: "Mr D. Jones" <d.jones@oakfield.sch.uk>`, 'To: sam@pupils.oakfield.sch.uk'];
    if (random() < 0.9) header.push(`Subject: ${pick(random, subjects)}`);
    if (random() < 0.05) header.push('Subject: second');
    if (random() < 0.05) header.push('Content-Disposition: inline');
    if (random() < 0.05) header.push('X-Odd : spaced name');
    header.push('MIME-Version: 1.0');
    const encoding = pick(random, encodings);
    if (random() < 0.5) {
      const type = pick(random, types);
      if (type !== undefined) header.push(`Content-Type: ${type}`);
      if (encoding !== undefined) header.push(`Content-Transfer-Encoding: ${encoding}`);
      out.push(Buffer.from(`${header.join(eol)}${eol}${eol}${pick(random, bodies)}`, 'utf8'));
      continue;
    }
    const boundaryParam = pick(random, boundaries);
    const boundary = boundaryParam.split(';')[0]!.replace(/"/g, '');
    header.push(`Content-Type: multipart/alternative; boundary=${boundaryParam}`);
    const part = (type: string, body: string): string =>
      [
        `--${boundary}${pick(random, delimiterTails)}`,
        `Content-Type: ${type}`,
        ...(random() < 0.3 ? ['Content-Transfer-Encoding: 8bit'] : []),
        '',
        body,
      ].join(eol);
    const plainBody = pick(random, bodies).replace(/\r?\n$/, '');
    const htmlBody = `<p>${pick(random, bodies).replace(/\r?\n$/, '')}</p>`;
    const closing = random() < 0.95 ? `${eol}--${boundary}--` : '';
    const preamble = random() < 0.3 ? `This is a multi-part message.${eol}` : '';
    const epilogue = random() < 0.3 ? `${eol}epilogue${eol}` : eol;
    const plainType = random() < 0.8 ? 'text/plain; charset=utf-8' : (pick(random, types) ?? 'text/plain');
    out.push(
      Buffer.from(
        `${header.join(eol)}${eol}${eol}${preamble}${part(plainType, plainBody)}${eol}${part('text/html; charset=utf-8', htmlBody)}${closing}${epilogue}`,
        'utf8',
      ),
    );
  }
  return out;
}

describe('quick reading of plain and multipart/alternative mail', () => {
  it('reads the MIME fixtures exactly as mailparser does', async () => {
    await compareAll([...emlFiles('tests/fixtures/mime'), ...emlFiles('tests/fixtures/golden')]);
  });

  it('reads every corpus message it accepts exactly as mailparser does', async () => {
    const messages = await loadCorpus(path.join(ROOT, 'corpus'));
    const accepted = await compareAll(messages.map((m) => m.raw));
    expect(accepted).toBeGreaterThan(messages.length / 2);
  });

  it('reads the benchmark school mail (plain and multipart/alternative) exactly as mailparser does', async () => {
    const raws = schoolMails(200, 0.15).map((m) => Buffer.from(m.raw));
    expect(await compareAll(raws)).toBe(raws.length);
  });

  it('reads generated variations exactly as mailparser does, and leaves the others to it', async () => {
    const raws = variations(1500);
    const accepted = await compareAll(raws);
    expect(accepted).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(raws.length);
  });

  it('reads large messages exactly as mailparser does, and leaves very long lines to it', async () => {
    const paragraph = 'The coach leaves at 8.45am sharp; please be there by 8.30am. caf=C3=A9 and soft=\r\nbreaks.\r\n';
    const head = 'From: a@b.c\r\nSubject: Newsletter\r\nMIME-Version: 1.0\r\n';
    const large = [
      `${head}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${paragraph.repeat(3000)}`,
      `${head}Content-Type: text/html; charset=utf-8\r\n\r\n<p>${'word '.repeat(20_000)}</p>\r\n`,
      `${head}Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(70_000)}\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>y</p>\r\n--b--\r\n`,
    ].map((raw) => Buffer.from(raw, 'utf8'));
    expect(await compareAll(large)).toBe(1);
    expect(readPlainMail(large[0]!)).toBeDefined();
  });

  it('leaves encoded subjects, other encodings and charsets, attachments and nesting to mailparser', () => {
    const head = 'From: a@b.c\r\nSubject: x\r\nMIME-Version: 1.0\r\n';
    const refused = [
      'From: a@b.c\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\nbody',
      `${head}Content-Type: text/plain; charset=iso-8859-1\r\n\r\nbody`,
      `${head}Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nYm9keQ==`,
      `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n`,
      `${head}Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: multipart/related; boundary=c\r\n\r\n--c--\r\n--b--\r\n`,
      'From: a@b.c\r\nSubject: caf\xe9\r\n\r\nbody',
      `${head}Content-Type: text/plain\r\n`,
    ];
    for (const raw of refused) expect(readPlainMail(Buffer.from(raw, 'latin1'))).toBeUndefined();
  });
});
