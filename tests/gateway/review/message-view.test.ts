import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateInHtml, markHtmlSource, markPlainText, visibleText } from '../../../src/gateway/review/mark-findings.js';
import { sanitiseMessageHtml } from '../../../src/gateway/review/sanitise-message.js';
import { extractParts } from '../../../src/classifier/extract-parts.js';
import { classify, parseMime } from '../../../src/classifier/index.js';
import { wordDocument } from '../../fixtures/documents.js';
import { fixtureRules } from '../../classifier/fixture-rules.js';
import { html, trusted } from '../../../src/gateway/review/html.js';
import { addUser, get, makeHold, signIn, startHarness, type Harness, type SignedIn } from './fixtures.js';

describe('the html template', () => {
  it('escapes every interpolation unless it is already safe', () => {
    const name = '<script>alert("x")</script>';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
    expect(html`<div>${[html`<b>${'&'}</b>`, trusted('<i>ok</i>'), null, false]}</div>`.value).toBe(
      '<div><b>&amp;</b><i>ok</i></div>',
    );
  });
});

describe('marking findings', () => {
  it('marks plain text at the exact offsets and escapes the rest', () => {
    const out = markPlainText('a <b> call 07700 900123 now', [{ index: 0, start: 11, end: 23, severity: 'high' }]);
    expect(out).toBe(
      'a &lt;b&gt; call <mark class="finding sev-high" id="finding-1" data-findings="1">07700 900123</mark> now',
    );
  });

  it('splits overlapping findings into pieces, coloured by the worst, each anchored once', () => {
    const out = markPlainText('abcdef', [
      { index: 0, start: 0, end: 4, severity: 'low' },
      { index: 1, start: 2, end: 6, severity: 'high' },
    ]);
    expect(out).toContain('id="finding-1" data-findings="1">ab</mark>');
    expect(out).toContain('class="finding sev-high" id="finding-2" data-findings="1 2">cd</mark>');
    expect(out.match(/id="finding-2"/g)).toHaveLength(1);
  });

  it('marks HTML across tags and never cuts inside an entity', () => {
    const source = '<p>Call <b>07700</b> 900&nbsp;123</p>';
    const start = source.indexOf('07700');
    const end = source.indexOf('123') + 3;
    const marked = markHtmlSource(source, [{ index: 0, start, end, severity: 'high' }], 'n');
    const clean = sanitiseMessageHtml(marked, 'n');
    expect(clean).toBe(
      '<p>Call <b><mark class="finding sev-high" id="finding-1" data-findings="1">07700</mark></b>' +
        '<mark class="finding sev-high" data-findings="1"> 900\u00a0123</mark></p>',
    );
  });

  it('moves a mark boundary that falls inside an entity to the edge of the entity', () => {
    const source = '<p>Tom &amp; Jerry</p>';
    const marked = markHtmlSource(
      source,
      [{ index: 0, start: source.indexOf('amp'), end: source.indexOf('Jerry') + 5, severity: 'low' }],
      'n',
    );
    expect(sanitiseMessageHtml(marked, 'n')).toBe(
      '<p>Tom <mark class="finding sev-low" id="finding-1" data-findings="1">&amp; Jerry</mark></p>',
    );
  });
});

describe('finding a plain-text passage in the HTML', () => {
  it('matches across tags and differing white space, at the same occurrence', () => {
    const source = '<p>between us</p><p>and <i>between</i>\n  us again</p>';
    const second = locateInHtml(visibleText(source), 'between us', 1);
    expect(source.slice(second?.start, second?.end)).toBe('between</i>\n  us');
    expect(locateInHtml(visibleText(source), 'not there', 0)).toBeUndefined();
  });

  it('does not join words either side of a paragraph break', () => {
    expect(locateInHtml(visibleText('<p>keep this</p><p>between us</p>'), 'thisbetween', 0)).toBeUndefined();
  });
});

describe('sanitising message HTML', () => {
  it('removes scripts, forms, frames, styles and event handlers', () => {
    const dirty =
      '<style>p{}</style><script>alert(1)</script><form action="https://x"><input name="p"></form>' +
      '<iframe src="https://x"></iframe><p onclick="alert(1)" style="color:red">Hello</p>';
    const clean = sanitiseMessageHtml(dirty, 'n');
    expect(clean).toBe('<p>Hello</p>');
  });

  it('makes remote images and links inert but says where a link goes', () => {
    const clean = sanitiseMessageHtml(
      '<a href="https://instagram.com/mr.smith">my insta</a><img src="https://t.example/p.gif" alt="logo">',
      'n',
    );
    expect(clean).not.toContain('href');
    expect(clean).not.toContain('t.example');
    expect(clean).toContain('<span class="inert-link" title="Link to https://instagram.com/mr.smith">my insta</span>');
    expect(clean).toContain('[picture: logo]');
  });

  it("strips ids and classes from the sender's own marks, so they cannot pose as findings", () => {
    const clean = sanitiseMessageHtml('<mark id="finding-1" class="finding sev-high" data-ch="guess">x</mark>', 'real');
    expect(clean).toBe('<span>x</span>');
  });
});

describe('the message page', () => {
  let h: Harness;
  let dsl: SignedIn;

  beforeAll(async () => {
    h = await startHarness();
    await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
    dsl = await signIn(h.app, 'dsl@oakfield.sch.uk');
  });
  afterAll(async () => h.close());

  it('shows headers, attachments and every finding marked in place with its explanation and guidance', async () => {
    const hold = await makeHold({
      subject: 'Snap me later',
      text: 'Hi Sam,\nadd me on snapchat: mr.smith77 and text 07700 900123.\n\n> On Monday Sam wrote:\n> my mum is away\n',
      flags: [
        { text: 'snapchat: mr.smith77', rule: 'social-handle', category: 'contact-details', severity: 'high' },
        { text: '07700 900123', rule: 'personal-mobile', category: 'contact-details', severity: 'medium' },
        { text: 'Snap me', rule: 'private-channel', category: 'personal-content', severity: 'low', in: 'subject' },
      ],
      attachments: [{ filename: 'trip-form.pdf', content: 'x' }],
    });
    await h.store.putHold(hold);
    const body = (await get(h.app, dsl, `/holds/${hold.id}`)).body;
    expect(body).toContain('id="finding-1" data-findings="1">');
    expect(body).toMatch(/<mark class="finding sev-high" id="finding-1"[^>]*>snapchat: mr.smith77<\/mark>/);
    expect(body).toMatch(/<mark class="finding sev-medium" id="finding-2"[^>]*>07700 900123<\/mark>/);
    expect(body).toMatch(/<mark class="finding sev-low" id="finding-3"[^>]*>Snap me<\/mark> later/);
    expect(body).toContain('Explanation for social-handle.');
    expect(body).toContain('Guidance for Safer Working Practice: Communication with children');
    expect(body).toContain('href="#finding-2"');
    expect(body).toContain('trip-form.pdf');
    expect(body).toContain('<dd>John Smith &lt;j.smith@oakfield.sch.uk&gt;</dd>');
    expect(body).toContain('pupil.one@students.oakfield.sch.uk');
    expect(body).toContain('High concern');
  });

  it('shows the text of an attached Word document under its name, with the finding in it marked', async () => {
    const docx = wordDocument({ paragraphs: ['Trip details', 'Well done today. This is our little secret.'] });
    const base = await makeHold({
      text: 'Hi Sam, the details are attached.',
      flags: [],
      attachments: [{ filename: 'trip.docx', content: docx }],
    });
    const verdict = classify(await parseMime(base.raw), fixtureRules(), { recipientClass: 'pupil' });
    expect(verdict.findings.map((f) => f.part)).toContain('attachment');
    const hold = { ...base, verdict };
    await h.store.putHold(hold);
    const body = (await get(h.app, dsl, `/holds/${hold.id}`)).body;
    expect(body).toContain('Opened from the message: trip.docx');
    expect(body).toMatch(/<mark class="finding [^"]*" id="finding-1"[^>]*>our little secret<\/mark>/);
  });

  it('shows the formatted version sanitised, marking findings the classifier reported against the plain text too', async () => {
    const htmlBody =
      '<div><p>Hi <b>Sam</b>, my number is 07700&nbsp;900123</p><p>Keep this\n between   us.</p>' +
      '<script>steal()</script><img src="https://track.example/x.gif"></div>';
    const hold = await makeHold({
      text: 'Hi Sam, my number is 07700 900123\n\nKeep this between us.',
      html: htmlBody,
      flags: [
        {
          text: '07700&nbsp;900123',
          rule: 'personal-mobile',
          category: 'contact-details',
          severity: 'high',
          in: 'html',
        },
        { text: 'between us', rule: 'secrecy', category: 'personal-content', severity: 'medium' },
      ],
    });
    await h.store.putHold(hold);
    const page = await get(h.app, dsl, `/holds/${hold.id}`);
    expect(page.body).toContain('Showing the formatted version');
    expect(page.body).toMatch(/<mark class="finding sev-high" id="finding-1"[^>]*>07700\u00a0900123<\/mark>/);
    expect(page.body).toMatch(/<mark class="finding sev-medium" id="finding-2"[^>]*>between {3}us<\/mark>/);
    expect(page.body).toContain('href="#finding-2"');
    expect(page.body).not.toContain('steal()');
    expect(page.body).not.toContain('track.example');
    const plain = await get(h.app, dsl, `/holds/${hold.id}?view=text`);
    expect(plain.body).toMatch(/<mark class="finding sev-medium" id="finding-2"[^>]*>between us<\/mark>/);
    expect(plain.body).toContain('href="?view=html#finding-1"');
  });

  it('shows a signature cut from the HTML inside the formatted version, and not as source in the plain one', async () => {
    const text = 'Hi Sam,\n\nThe list is attached.\n\nMany thanks,\n--\nMr D. Jones\nHead of Humanities\n';
    const htmlSource =
      '<p>Hi Sam,</p><p>The list is attached.</p><p>Many thanks,</p><div><pre>--\nMr D. Jones\nHead of Humanities</pre></div>';
    const hold = await makeHold({ text, html: htmlSource, flags: [] });
    hold.verdict.parts = extractParts({ text, html: htmlSource });
    expect(hold.verdict.parts.filter((p) => p.kind === 'signature').map((p) => p.source)).toEqual(['text', 'html']);
    await h.store.putHold(hold);

    const formatted = (await get(h.app, dsl, `/holds/${hold.id}?view=html`)).body;
    expect(formatted).toMatch(/<pre>--\nMr D\. Jones\nHead of Humanities<\/pre>/);
    const plain = (await get(h.app, dsl, `/holds/${hold.id}?view=text`)).body;
    expect(plain.match(/Head of Humanities/g)).toHaveLength(1);
    expect(plain).not.toContain('&lt;/pre&gt;');
  });

  it('marks a finding in text hidden by a style sheet in another part, as the classifier read it', async () => {
    const htmlSource =
      '<html><head><style>.aside { display: none }</style></head><body><div>See you Monday.</div>' +
      '<div class="gmail_signature">Mr H<span class="aside">Don\'t tell your mum</span></div></body></html>';
    const hold = await makeHold({ text: 'See you Monday.', html: htmlSource, flags: [] });
    hold.verdict = classify({ html: htmlSource }, fixtureRules());
    expect(hold.verdict.findings.map((f) => f.part)).toEqual(['hidden']);
    await h.store.putHold(hold);
    const page = (await get(h.app, dsl, `/holds/${hold.id}`)).body;
    expect(page).toMatch(
      /<div class="plain hidden-text"><mark class="finding [^"]*" id="finding-1"[^>]*>Don(&#39;|&#x27;|')t tell your mum<\/mark><\/div>/,
    );
  });

  it('opens on the plain-text version when a finding is only there', async () => {
    const hold = await makeHold({
      text: 'See you Saturday. Love, J',
      html: '<p>See you Saturday.</p>',
      flags: [{ text: 'Love, J', rule: 'affection', category: 'suggestive', severity: 'medium' }],
    });
    await h.store.putHold(hold);
    const page = await get(h.app, dsl, `/holds/${hold.id}`);
    expect(page.body).toContain('Showing the plain-text version');
    expect(page.body).toMatch(/<mark class="finding sev-medium" id="finding-1"[^>]*>Love, J<\/mark>/);
  });

  it('shows why an unreadable message was held, and offers the original instead of a body', async () => {
    const hold = await makeHold({ text: 'x', flags: [] });
    hold.reason = 'unreadable';
    hold.severity = 'high';
    hold.verdict = { ...hold.verdict, parts: [], findings: [], problems: ['The message structure could not be read'] };
    await h.store.putHold(hold);
    const body = (await get(h.app, dsl, `/holds/${hold.id}`)).body;
    expect(body).toContain('Could not be read, so it was held to be safe');
    expect(body).toContain('The message structure could not be read');
    expect(body).toContain(`/holds/${hold.id}/raw`);
    const raw = await h.app.inject({ method: 'GET', url: `/holds/${hold.id}/raw`, headers: { cookie: dsl.cookie } });
    expect(raw.headers['content-disposition']).toContain('attachment');
    expect((await h.store.listAudit({ holdId: hold.id })).map((e) => e.action)).toContain('hold.downloaded');
  });

  it('escapes a hostile subject and sender everywhere', async () => {
    const hold = await makeHold({
      subject: '<img src=x onerror=alert(1)>',
      mailFrom: 'evil"<script>@oakfield.sch.uk',
      text: 'call 07700 900123',
      flags: [{ text: '07700 900123', rule: 'personal-mobile', category: 'contact-details', severity: 'high' }],
    });
    await h.store.putHold(hold);
    for (const url of ['/', `/holds/${hold.id}`]) {
      const body = (await get(h.app, dsl, url)).body;
      expect(body, url).not.toContain('<img src=x');
      expect(body, url).not.toContain('<script>');
    }
  });

  it('filters the queue by category, sender, search and date, and marks overdue items', async () => {
    const old = await makeHold({
      mailFrom: 'old.sender@oakfield.sch.uk',
      subject: 'Old one',
      text: 'you look gorgeous',
      flags: [{ text: 'gorgeous', rule: 'appearance', category: 'suggestive', severity: 'medium' }],
      receivedAt: new Date(Date.now() - 10 * 86_400_000),
    });
    await h.store.putHold(old);
    const bySender = (await get(h.app, dsl, '/?sender=old.sender')).body;
    expect(bySender).toContain('Old one');
    expect(bySender).not.toContain('Snap me later');
    expect(bySender).toContain('Overdue');
    const byCategory = (await get(h.app, dsl, '/?category=suggestive')).body;
    expect(byCategory).toContain('Old one');
    expect((await get(h.app, dsl, '/?q=snap')).body).not.toContain('Old one');
    const day = new Date(Date.now() - 10 * 86_400_000);
    const iso = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    const byDate = (await get(h.app, dsl, `/?from=${iso}&to=${iso}`)).body;
    expect(byDate).toContain('Old one');
    expect(byDate).not.toContain('Snap me later');
  });
});
