// MIME written to get past the screener: what the recipient reads is put where parseMime does not look, split by
// markup, encoded in unusual ways, or wrapped in structures meant to hang or crash the parser. Each message goes through
// parseMime and classify with the shipped rules and the default configuration, as the relay screens it.
// The rule these enforce: text the recipient can see is screened, and text that could not be screened is a problem
// (which holds), never skipped. Where the payload is screened, the tests check the finding's part, not just the hold.
// A new gap found later is added as `it.fails` until it is closed.
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { classify, parseMime, type CompiledRules, type Verdict } from '../../src/classifier/index.js';
import { loadConfig } from '../../src/config/load.js';
import { loadRules } from '../../src/config/load-rules.js';
import type { Config } from '../../src/config/schema.js';

let config: Config;
let rules: CompiledRules;

beforeAll(async () => {
  config = (await loadConfig('config/default.yaml')).config;
  rules = await loadRules(config);
});

/**
 * Each alone is enough to hold mail to a pupil, and NUMBER only because of its number (checked by the controls below:
 * "text me" and the like would hold on their own, and would hide a missed number).
 */
const NUMBER = 'You can reach me on 07700 900123 after school.';
const NUMBER_WITHOUT_NUMBER = 'You can reach me on the office number after school.';
const SECRET = "Don't tell your parents about this.";
const INNOCENT = 'Please bring your homework on Monday. Thanks, Mr Smith';

const HEAD = [
  'From: John Smith <j.smith@oakfield.sch.uk>',
  'To: sam@pupils.oakfield.sch.uk',
  'Subject: Homework',
  'Date: Mon, 3 Mar 2025 09:00:00 +0000',
  'Message-ID: <evasion@oakfield.sch.uk>',
  'MIME-Version: 1.0',
].join('\r\n');

function message(headers: string, body: string): string {
  return `${HEAD}\r\n${headers}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

function multipart(type: string, parts: string[], boundary = 'b0undary'): string {
  return [
    `Content-Type: multipart/${type}; boundary="${boundary}"`,
    '',
    ...parts.flatMap((p) => [`--${boundary}`, p]),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

async function screen(raw: string | Buffer): Promise<Verdict> {
  const input = await parseMime(raw);
  return classify(input, rules, {
    recipientClass: 'pupil',
    organisation: config.organisation,
    thresholds: config.thresholds,
  });
}

async function expectHeld(raw: string | Buffer): Promise<Verdict> {
  const verdict = await screen(raw);
  expect(
    verdict.action,
    JSON.stringify({ findings: verdict.findings.map((f) => f.rule), problems: verdict.problems }),
  ).toBe('hold');
  return verdict;
}

const TEXT = (text: string, extra = '') =>
  `Content-Type: text/plain; charset=utf-8${extra ? `\r\n${extra}` : ''}\r\n\r\n${text}`;
const HTML = (html: string, extra = '') =>
  `Content-Type: text/html; charset=utf-8${extra ? `\r\n${extra}` : ''}\r\n\r\n${html}`;

describe('controls: the payloads are held when written plainly', () => {
  it.each([NUMBER, SECRET])('holds %j in a plain text message', async (text) => {
    await expectHeld(message('Content-Type: text/plain; charset=utf-8', text));
  });

  it.each([INNOCENT, NUMBER_WITHOUT_NUMBER])('passes %j', async (text) => {
    expect((await screen(message('Content-Type: text/plain; charset=utf-8', text))).action).toBe('pass');
  });
});

describe('text the recipient reads, in a place the screener might not look', () => {
  it('holds a multipart/alternative whose plain part is innocent but whose HTML part is not', async () => {
    const raw = `${HEAD}\r\n${multipart('alternative', [TEXT(INNOCENT), HTML(`<p>${INNOCENT}</p><p>${NUMBER}</p>`)])}`;
    await expectHeld(raw);
  });

  it('holds a multipart/alternative whose HTML part is innocent but whose plain part is not', async () => {
    const raw = `${HEAD}\r\n${multipart('alternative', [TEXT(`${INNOCENT}\n${SECRET}`), HTML(`<p>${INNOCENT}</p>`)])}`;
    await expectHeld(raw);
  });

  it('holds a second text part after a picture in multipart/mixed', async () => {
    const picture = 'Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=';
    await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), picture, TEXT(NUMBER)])}`);
  });

  it('holds an inline text part that carries a file name (mailparser files it as an attachment)', async () => {
    const part = TEXT(NUMBER, 'Content-Disposition: inline; filename="note.txt"');
    await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
  });

  it('holds a text part with no disposition inside multipart/related', async () => {
    await expectHeld(`${HEAD}\r\n${multipart('related', [HTML(`<p>${INNOCENT}</p>`), TEXT(SECRET)])}`);
  });

  // A .txt attachment is opened and read by the pupil: its text is screened as an 'attachment' part.
  it('holds a text/plain attachment the pupil opens and reads', async () => {
    const part = TEXT(`${NUMBER}\n${SECRET}`, 'Content-Disposition: attachment; filename="reading-list.txt"');
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    expect(attachmentFindings(verdict)).toEqual([
      expect.stringContaining('07700 900123'),
      expect.stringContaining("Don't tell"),
    ]);
    expect(verdict.parts.find((p) => p.kind === 'attachment')?.name).toBe('reading-list.txt');
  });

  it('marks a number both where the HTML body gives it and in an attachment, scoring it once', async () => {
    const attachment = TEXT(NUMBER, 'Content-Disposition: attachment; filename="note.txt"');
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [HTML(`<p>${NUMBER}</p>`), attachment])}`);
    const numbers = verdict.findings.filter((f) => f.text === '07700 900123' && f.rule === verdict.findings[0]!.rule);
    expect(numbers.map((f) => f.part)).toEqual(['html', 'attachment']);
    expect(numbers.filter((f) => f.score > 0)).toHaveLength(1);
  });

  it('passes a text attachment and a calendar invitation that say nothing of concern', async () => {
    const attachment = TEXT(INNOCENT, 'Content-Disposition: attachment; filename="reading-list.txt"');
    const invitation = `Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n${calendar('Parents evening', INNOCENT)}`;
    const verdict = await screen(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), attachment, invitation])}`);
    expect(verdict.action).toBe('pass');
    expect(verdict.parts.filter((p) => p.kind === 'attachment').map((p) => p.name)).toEqual([
      'reading-list.txt',
      'Calendar invitation',
    ]);
  });

  it('holds a forwarded message/rfc822 shown inline whose own text part carries the payload', async () => {
    const inner = message('Content-Type: text/plain; charset=utf-8', NUMBER);
    const part = `Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n${inner}`;
    await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
  });

  // A message forwarded as an attachment (Outlook's "Forward as attachment") opens with one click and is read as an
  // e-mail: its subject and text are screened, and so is its HTML alternative and anything attached to it.
  it('holds a message/rfc822 attachment whose text carries the payload', async () => {
    const inner = message('Content-Type: text/plain; charset=utf-8', NUMBER);
    const part = `Content-Type: message/rfc822; name="fwd.eml"\r\nContent-Disposition: attachment; filename="fwd.eml"\r\n\r\n${inner}`;
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    expect(attachmentFindings(verdict)).toEqual([expect.stringContaining('07700 900123')]);
  });

  it('holds a forwarded message whose subject, HTML alternative or own attachment carries the payload', async () => {
    const innerHead = HEAD.replace('Subject: Homework', `Subject: ${SECRET}`);
    const inner = `${innerHead}\r\n${multipart(
      'mixed',
      [
        multipart('alternative', [TEXT(INNOCENT), HTML(`<p>${INNOCENT}</p><p>${NUMBER}</p>`)], 'alt1'),
        TEXT('Snap me: sam.smith_99', 'Content-Disposition: attachment; filename="more.txt"'),
      ],
      'mix1',
    )}`;
    const part = `Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n${inner}`;
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    const found = attachmentFindings(verdict).join(' | ');
    expect(found).toContain("Don't tell");
    expect(found).toContain('07700 900123');
    expect(found).toContain('sam.smith_99');
  });

  it('reports a forwarded message nested too deep to open rather than passing it unread', async () => {
    let inner = message('Content-Type: text/plain; charset=utf-8', INNOCENT);
    for (let i = 0; i < 5; i++) {
      inner = `${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), `Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n${inner}`], `n${i}`)}`;
    }
    const verdict = await expectHeld(inner);
    expect(verdict.problems.join('\n')).toMatch(/attached inside 3 others/);
  });

  it('reports text attachments past the limit, without naming them, rather than passing them unread', async () => {
    const attachments = Array.from({ length: 25 }, (_, i) =>
      TEXT(INNOCENT, `Content-Disposition: attachment; filename="secret-name-${i}.txt"`),
    );
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), ...attachments])}`);
    expect(verdict.problems).toEqual([
      expect.stringMatching(/^5 attachment\(s\) that open as text could not be checked/),
    ]);
    expect(verdict.parts.filter((p) => p.kind === 'attachment')).toHaveLength(20);
  });

  // Mail programs show other text/* types (text/enriched, text/markdown, text/x-...) as text.
  it('holds an inline text/markdown part', async () => {
    const part = `Content-Type: text/markdown; charset=utf-8\r\nContent-Disposition: inline\r\n\r\n**${NUMBER}**`;
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    expect(attachmentFindings(verdict)).toEqual([expect.stringContaining('07700 900123')]);
  });

  it('holds an Apple Watch alternative (text/watch-html) whose markup splits a phrase, read as it is shown', async () => {
    const watch = `Content-Type: text/watch-html; charset=utf-8\r\n\r\n<p>Don't <b>tell</b> your <i>parents</i> about this.</p>`;
    const verdict = await expectHeld(
      `${HEAD}\r\n${multipart('alternative', [TEXT(INNOCENT), watch, HTML(`<p>${INNOCENT}</p>`)])}`,
    );
    expect(attachmentFindings(verdict)).toEqual([expect.stringContaining("Don't tell")]);
  });

  it('holds a text attachment in a declared charset, decoded before it is screened', async () => {
    const body = Buffer.from('Don\x92t tell your parents about this.', 'latin1').toString('base64');
    const part = `Content-Type: text/plain; charset=windows-1252\r\nContent-Disposition: attachment; filename="a.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`;
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    expect(attachmentFindings(verdict)).toEqual([expect.stringContaining('Don’t tell')]);
  });

  // A calendar invitation's title, place and description are shown by every calendar-aware mail program.
  it('holds a calendar invitation whose description carries the payload', async () => {
    const part = `Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n${calendar('Extra help', `${SECRET} ${NUMBER}`)}`;
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    expect(attachmentFindings(verdict)).toEqual(
      expect.arrayContaining([expect.stringContaining('07700 900123'), expect.stringContaining("Don't tell")]),
    );
  });

  it('holds a calendar invitation whose folded, escaped location carries a number', async () => {
    const ics = calendar('Extra help', INNOCENT).replace(
      'SUMMARY:',
      'LOCATION:My house\\, ring me on 07700 9\r\n 00123 first\r\nSUMMARY:',
    );
    const part = `Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n${ics}`;
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    expect(attachmentFindings(verdict)).toContain('07700 900123');
  });
});

function calendar(summary: string, description: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'UID:evasion-1@oakfield.sch.uk',
    'DTSTART:20250308T140000Z',
    `SUMMARY:${summary}`,
    `DESCRIPTION:${description}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');
}

/** The text of each finding in an attachment part: proof the attachment was screened, not merely reported. */
function attachmentFindings(verdict: Verdict): string[] {
  return verdict.findings.filter((f) => f.part === 'attachment').map((f) => f.text);
}

describe('names and headers in unusual encodings', () => {
  it('holds an attachment name given as an RFC 2047 encoded word', async () => {
    const name = `=?UTF-8?B?${Buffer.from(`${NUMBER}.pdf`).toString('base64')}?=`;
    const part = `Content-Type: application/pdf; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=`;
    await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
  });

  it('holds an attachment name split into RFC 2231 continuations', async () => {
    const encoded = encodeURIComponent(`${NUMBER}.pdf`).replace(/'/g, '%27');
    const half = Math.floor(encoded.length / 2);
    const split = encoded.slice(half - 1, half + 2).includes('%') ? half + 3 : half;
    const part = [
      'Content-Type: application/pdf',
      `Content-Disposition: attachment; filename*0*=utf-8''${encoded.slice(0, split)};`,
      ` filename*1*=${encoded.slice(split)}`,
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0=',
    ].join('\r\n');
    await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
  });

  it('holds a subject written in encoded words', async () => {
    const subject = `=?utf-8?q?${encodeURIComponent(SECRET).replace(/%/g, '=')}?=`;
    await expectHeld(
      `${HEAD.replace('Subject: Homework', `Subject: ${subject}`)}\r\nContent-Type: text/plain\r\n\r\n${INNOCENT}`,
    );
  });

  it('holds a body in base64', async () => {
    const body = Buffer.from(NUMBER).toString('base64');
    await expectHeld(message('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64', body));
  });

  it('holds a number split by quoted-printable soft line breaks', async () => {
    await expectHeld(
      message(
        'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable',
        'You can reach me on 077=\n00 90=\n0123 after school.',
      ),
    );
  });

  it('holds a body in UTF-7, a classic way round keyword filters', async () => {
    await expectHeld(message('Content-Type: text/plain; charset=utf-7', 'Don+ACI-t tell your parents about this.'));
  });
});

describe('HTML that shows one thing and says another', () => {
  it('holds a number split by an HTML comment', async () => {
    await expectHeld(
      message(
        'Content-Type: text/html; charset=utf-8',
        '<p>You can reach me on 07700<!-- x --> 900123 after school.</p>',
      ),
    );
  });

  it('holds a number split across inline tags', async () => {
    await expectHeld(
      message(
        'Content-Type: text/html; charset=utf-8',
        '<p>You can reach me on <b>077</b><i>00 90</i><span>0123</span> after school.</p>',
      ),
    );
  });

  it('holds a phrase with a word in an entity and a tag in the middle', async () => {
    await expectHeld(
      message('Content-Type: text/html; charset=utf-8', '<p>Don&#39;t <b>tell</b> your par&#101;nts about this.</p>'),
    );
  });

  // Filler hidden from the pupil (display:none, font-size:0, white on white) is left out of the text the phrase rules
  // read, so it cannot break up a phrase the pupil sees whole; it is screened on its own as a 'hidden' part.
  it('holds a phrase broken up by text the recipient cannot see (display:none)', async () => {
    const verdict = await expectHeld(
      message(
        'Content-Type: text/html; charset=utf-8',
        '<p>Don\'t <span style="display:none">forget homework and</span>tell your <span style="font-size:0">year</span>parents about this.</p>',
      ),
    );
    expect(verdict.findings.filter((f) => f.part === 'html').map((f) => f.text)).toEqual([
      expect.stringMatching(/^Don't <span style="display:none">forget homework and<\/span>tell your/),
    ]);
  });

  it.each([
    ['visibility:hidden', '<span style="visibility:hidden">x</span>'],
    ['opacity:0', '<span style="opacity: 0">x</span>'],
    ['a 1px font', '<font style="font-size:1px">x</font>'],
    ['white on white', '<span style="color:#FFFFFF">x</span>'],
    ['near-white on a white table cell', '<td bgcolor="#ffffff"><span style="color: rgb(250, 252, 255)">x</span></td>'],
    ['transparent text', '<span style="color:transparent">x</span>'],
    [
      'a zero-height box that hides its overflow',
      '<span style="display:inline-block;max-height:0;overflow:hidden">x</span>',
    ],
    ['the hidden attribute', '<span hidden>x</span>'],
    ['placing it far off the page', '<span style="position:absolute; left:-10000px">x</span>'],
    [
      'the screen-reader-only pattern',
      '<span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">x</span>',
    ],
    ['an indent far off the page', '<span style="display:inline-block;text-indent:-9999px">x</span>'],
    ['scale(0)', '<span style="display:inline-block;transform:scale(0)">x</span>'],
    ['a display:none written in capitals with !important', '<span style="DISPLAY: NONE !important">x</span>'],
  ])('reads a phrase whole around filler hidden by %s', async (_, filler) => {
    const html = `<p>Don't ${filler.replace('>x<', '>forget your homework and<')} tell your parents about this.</p>`;
    const verdict = await expectHeld(message('Content-Type: text/html; charset=utf-8', html));
    expect(verdict.findings.some((f) => f.part === 'html' && /^Don't/.test(f.text))).toBe(true);
  });

  it.each([
    ['a class', '.filler { display: none }', '<span class="note filler">x</span>'],
    ['a tag and class', 'span.f{font-size:0px}', '<span class="f">x</span>'],
    ['an id', '#f { color: #fff; }', '<span id="f">x</span>'],
    ['a class inside @media screen', '@media only screen { .f { display: none } }', '<span class="f">x</span>'],
    ['a class inside @supports', '@supports (display: none) { .f { opacity: 0 } }', '<span class="f">x</span>'],
    [
      'a tag (comments and @media rules around it)',
      '/* x */ @media print { p { color: red } } b {visibility:hidden}',
      '<b>x</b>',
    ],
  ])('reads a phrase whole around filler hidden by a <style> rule for %s', async (_, css, filler) => {
    const html = `<html><head><style>${css}</style></head><body><p>Don't ${filler.replace('>x<', '>forget your homework and<')} tell your parents about this.</p></body></html>`;
    const verdict = await expectHeld(message('Content-Type: text/html; charset=utf-8', html));
    expect(verdict.findings.some((f) => f.part === 'html' && /^Don't/.test(f.text))).toBe(true);
  });

  it('does not apply a <style> rule inside a size-dependent @media or with a descendant selector', async () => {
    const css = '@media (max-width: 600px) { .m { display: none } } .wrap .d { display: none }';
    const html = `<style>${css}</style><div class="wrap"><p>Hello <span class="m">one</span> <span class="d">two</span></p></div>`;
    const verdict = await screen(message('Content-Type: text/html; charset=utf-8', html));
    expect(verdict.parts.map((p) => p.kind)).not.toContain('hidden');
  });

  it('screens a number hidden from view on its own, and shows it as hidden text', async () => {
    const verdict = await expectHeld(
      message(
        'Content-Type: text/html; charset=utf-8',
        `<p>${INNOCENT}</p><div style="display:none">Text me: <b>07700</b> 900123</div>`,
      ),
    );
    expect(verdict.findings.filter((f) => f.part === 'hidden').map((f) => f.text)).toContain('07700</b> 900123');
  });

  it("screens a picture's description, shown in its place when pictures are not loaded", async () => {
    const html = `<p>${INNOCENT}</p><p><img src="cid:logo" alt="Text me on 07700 900123"> Mr Smith</p>`;
    const verdict = await expectHeld(message('Content-Type: text/html; charset=utf-8', html));
    expect(verdict.findings.filter((f) => f.part === 'hidden').map((f) => f.text)).toContain('07700 900123');
  });

  it('reads white text on a dark background, and text a child of a font-size:0 container sizes back, as visible', async () => {
    const html =
      '<table><tr><td style="background-color:#003366"><span style="color:#fff">Don\'t tell your parents</span></td></tr></table>' +
      '<div style="font-size:0"><div style="display:inline-block;font-size:14px">You can reach me on 07700 900123.</div></div>';
    const verdict = await expectHeld(message('Content-Type: text/html; charset=utf-8', html));
    expect(verdict.findings.filter((f) => f.part === 'hidden')).toEqual([]);
    expect(verdict.findings.filter((f) => f.part === 'html').length).toBeGreaterThanOrEqual(2);
  });

  it('screens text hidden in an attached HTML document', async () => {
    const part = HTML(
      `<p>${INNOCENT}</p><p style="display:none">${NUMBER}</p>`,
      'Content-Disposition: attachment; filename="notes.html"',
    );
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    expect(verdict.findings.filter((f) => f.part === 'attachment').map((f) => f.text)).toContain('07700 900123');
  });

  it('passes a newsletter preheader hidden with display:none that says nothing of concern', async () => {
    const html = `<div style="display:none;max-height:0;overflow:hidden">Homework reminder for Monday</div><p>${INNOCENT}</p>`;
    expect((await screen(message('Content-Type: text/html; charset=utf-8', html))).action).toBe('pass');
  });

  // A right-to-left override (U+202E) shows "07700 900123" to the pupil while the text holds the digits reversed:
  // the controls are stripped before screening and their use around digits or Latin letters is a problem.
  it('holds a number written backwards inside a right-to-left override', async () => {
    const verdict = await expectHeld(
      message('Content-Type: text/plain; charset=utf-8', 'You can reach me on \u202E321009 00770\u202C after school.'),
    );
    expect(verdict.problems.join('\n')).toMatch(/right-to-left controls/);
  });

  it.each([
    ['a right-to-left embedding that swaps the groups of a number', 'Ring me on \u202B900123 07700\u202C tonight.'],
    ['a right-to-left isolate over words', "Please \u2067parents your tell\u2069 don't."],
    ['a first-strong isolate that starts right-to-left', 'Call \u2068\u05d0 321009 00770\u2069 later.'],
    ['an override left open to the end of the line', 'Ring me: \u202E321009 00770'],
    ['an override hidden behind a left-to-right embedding', 'Ring \u202E\u202A\u202C321009 00770\u202C.'],
  ])('reports %s', async (_, text) => {
    const verdict = await expectHeld(message('Content-Type: text/plain; charset=utf-8', text));
    expect(verdict.problems.join('\n')).toMatch(/right-to-left controls/);
  });

  it('reports a right-to-left override written as an HTML character reference', async () => {
    const verdict = await expectHeld(
      message('Content-Type: text/html; charset=utf-8', '<p>Ring me on &#x202E;321009 00770&#x202C; tonight.</p>'),
    );
    expect(verdict.problems.join('\n')).toMatch(/right-to-left controls/);
  });

  it('reports a right-to-left override in an attachment name', async () => {
    const part = `Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="=?UTF-8?B?${Buffer.from('homework\u202Efdp.exe').toString('base64')}?="\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=`;
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), part])}`);
    expect(verdict.problems.join('\n')).toMatch(/right-to-left controls/);
  });

  it('raises no right-to-left problem for a number pasted from WhatsApp, wrapped in left-to-right controls', async () => {
    const text = 'The club number is \u202A+44 118 496 0000\u202C, or ask \u2068Mr Smith\u2069 at reception.';
    const verdict = await screen(message('Content-Type: text/plain; charset=utf-8', text));
    expect(verdict.problems).toEqual([]);
  });

  it('passes Arabic or Hebrew text that keeps English and numbers in order with left-to-right controls', async () => {
    const text = 'مرحبا \u2066Year 9\u2069 الواجب \u202A01632 960000\u202C شكرا\nשלום \u2067שיעורי בית\u2069 ביום שני';
    const verdict = await screen(message('Content-Type: text/plain; charset=utf-8', text));
    expect(verdict).toMatchObject({ action: 'pass', problems: [] });
  });
});

describe('structures meant to hang or crash the parser', () => {
  /** Generous on a shared two-core machine; a hang would take minutes. */
  const BUDGET_MS = 10_000;

  async function timedScreen(raw: string | Buffer): Promise<{ verdict: Verdict; ms: number }> {
    const start = performance.now();
    const verdict = await screen(raw);
    return { verdict, ms: performance.now() - start };
  }

  it('screens 2,000 nested multiparts with the payload at the bottom in bounded time, and holds it', async () => {
    const depth = 2000;
    let body = TEXT(NUMBER);
    for (let i = depth; i > 0; i--) body = multipart('mixed', [body], `b${i}`);
    const { verdict, ms } = await timedScreen(`${HEAD}\r\n${body}`);
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(verdict.action).toBe('hold');
  });

  it('screens 20,000 empty parts in bounded time without crashing', async () => {
    const parts = Array.from({ length: 20_000 }, () => 'Content-Type: text/plain\r\n\r\nx');
    const { verdict, ms } = await timedScreen(`${HEAD}\r\n${multipart('mixed', [TEXT(NUMBER), ...parts])}`);
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(verdict.action).toBe('hold');
  });

  it('screens a header folded over 100,000 lines in bounded time', async () => {
    const folded = `X-Filler: a${'\r\n b'.repeat(100_000)}`;
    const { verdict, ms } = await timedScreen(message(`Content-Type: text/plain\r\n${folded}`, NUMBER));
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(verdict.action).toBe('hold');
  });

  // A multipart with no boundary parameter yields no text at all from mailparser: it is reported, and its raw text
  // is screened so the DSL sees what it says.
  it('holds a multipart that declares no boundary rather than passing it unread', async () => {
    const verdict = await expectHeld(
      `${HEAD}\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n${TEXT(NUMBER)}\r\n--x--\r\n`,
    );
    expect(verdict.problems.join('\n')).toMatch(/no MIME boundary/);
    expect(verdict.findings.map((f) => f.text)).toContain('07700 900123');
  });

  it('holds a multipart whose parts use another boundary than the one it declares', async () => {
    const raw = `${HEAD}\r\n${multipart('mixed', [TEXT(NUMBER)], 'real')}`.replace(
      'boundary="real"',
      'boundary="decoy"',
    );
    const verdict = await expectHeld(raw);
    expect(verdict.findings.map((f) => f.text)).toContain('07700 900123');
  });

  it('holds a nested multipart with no boundary beside a readable part', async () => {
    const nested = `Content-Type: multipart/alternative\r\n\r\n--y\r\n${TEXT(NUMBER)}\r\n--y--`;
    const verdict = await expectHeld(`${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), nested])}`);
    expect(verdict.problems.join('\n')).toMatch(/no MIME boundary/);
  });

  it('passes a multipart whose parts are all empty', async () => {
    const verdict = await screen(`${HEAD}\r\n${multipart('alternative', [TEXT(''), HTML('')])}`);
    expect(verdict).toMatchObject({ action: 'pass', problems: [] });
  });

  it('screens HTML with style sheets of 100,000 rules and unclosed comments, and 20,000 styled elements, in bounded time', async () => {
    const rules = Array.from({ length: 100_000 }, (_, i) => `.c${i}{color:#fff}`).join('');
    const sheet = `<style>${rules}</style><style>${'/* '.repeat(50_000)}</style><style>${'@media{'.repeat(20_000)}</style>`;
    const elements = Array.from(
      { length: 20_000 },
      (_, i) => `<span class="c${i % 50} x${i}" style="color:#${i % 10}${i % 10}${i % 10}">w</span>`,
    ).join(' ');
    const { verdict, ms } = await timedScreen(
      message('Content-Type: text/html; charset=utf-8', `${sheet}<p>${NUMBER}</p>${elements}`),
    );
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(verdict.action).toBe('hold');
  });

  it('holds a multipart cut off before its closing boundary', async () => {
    const cut = `${HEAD}\r\n${multipart('mixed', [TEXT(INNOCENT), TEXT(INNOCENT)])}`.replace(/--b0undary--\r\n$/, '');
    await expectHeld(cut);
  });

  it('holds a body of NUL bytes and invalid UTF-8 with a number in it', async () => {
    const raw = Buffer.concat([
      Buffer.from(`${HEAD}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`),
      Buffer.from([0, 0, 0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from(` ${NUMBER}\r\n`),
    ]);
    await expectHeld(raw);
  });
});
