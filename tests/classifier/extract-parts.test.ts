import { describe, expect, it } from 'vitest';
import { extractParts, partSources } from '../../src/classifier/extract-parts.js';
import type { MessageInput, MessagePart } from '../../src/classifier/types.js';
import { classify } from '../../src/classifier/index.js';
import { compileYaml, rule } from './fixture-rules.js';

function kinds(input: MessageInput | string): [string, string][] {
  return extractParts(input).map((p) => [p.kind, p.text]);
}

function expectExactSubstrings(input: MessageInput | string, parts: MessagePart[]): void {
  const sources = partSources(input);
  for (const part of parts)
    expect(sources[part.source].slice(part.offset, part.offset + part.text.length)).toBe(part.text);
}

describe('extractParts on plain text', () => {
  it('treats a string as the body of a message with no subject', () => {
    expect(kinds('Hello Jo')).toEqual([['body', 'Hello Jo']]);
  });

  it('separates the reply from the Gmail-quoted pupil message under it', () => {
    const text =
      'See you in class.\n\nOn Mon, 3 Mar 2025 at 10:15, Jo Bloggs <jo@pupils.example>\nwrote:\n\n> my number is 07700 900123\n>\n';
    expect(kinds(text)).toEqual([
      ['body', 'See you in class.'],
      [
        'quoted',
        'On Mon, 3 Mar 2025 at 10:15, Jo Bloggs <jo@pupils.example>\nwrote:\n\n> my number is 07700 900123\n>',
      ],
    ]);
  });

  it('treats everything under an Outlook header block as quoted', () => {
    const text =
      'Marked, thanks.\n\n________________________________\nFrom: Jo Bloggs\nSent: 03 March 2025 10:15\nTo: Mr Hughes\nSubject: Coursework\n\nmy snap is jo_b';
    const parts = kinds(text);
    expect(parts[0]).toEqual(['body', 'Marked, thanks.']);
    expect(parts[1]![0]).toBe('quoted');
    expect(parts[1]![1]).toMatch(/^_{32}\nFrom: Jo Bloggs[\s\S]*my snap is jo_b$/);
  });

  it.each([
    ['-----Original Message-----\nFrom: Jo\nhello'],
    ['---------- Forwarded message ---------\nFrom: Jo\nhello'],
    ['Begin forwarded message:\n\nFrom: Jo\nhello'],
  ])('treats a separator (%j) and what follows as quoted', (tail) => {
    const parts = kinds(`Please see below.\n\n${tail}`);
    expect(parts).toEqual([
      ['body', 'Please see below.'],
      ['quoted', tail],
    ]);
  });

  it('keeps interleaved answers as the sender’s own words', () => {
    expect(kinds('> can I come?\nYes, with your class.\n> and after?\nNo.')).toEqual([
      ['quoted', '> can I come?'],
      ['body', 'Yes, with your class.'],
      ['quoted', '> and after?'],
      ['body', 'No.'],
    ]);
  });

  it('does not take an attribution-like line with no quoted text under it as a quote', () => {
    const text = 'On Friday, Jo wrote:\nmy number is 07700 900123 call me';
    expect(kinds(text)).toEqual([['body', text]]);
  });

  it('finds a signature after a sign-off with the school number in it', () => {
    expect(
      kinds('Dear Mrs Bloggs,\n\nSee you Thursday.\n\nBest wishes,\nMr Hughes\nHead of Year 9\nTel: 01632 960000\n'),
    ).toEqual([
      ['body', 'Dear Mrs Bloggs,\n\nSee you Thursday.\n\nBest wishes,'],
      ['signature', 'Mr Hughes\nHead of Year 9\nTel: 01632 960000'],
    ]);
  });

  it('finds a signature after the "-- " delimiter', () => {
    expect(kinds('Ok.\n-- \nMr H\nOakfield School')).toEqual([
      ['body', 'Ok.'],
      ['signature', '-- \nMr H\nOakfield School'],
    ]);
  });

  it('does not take a paragraph after a sign-off word for a signature', () => {
    const text =
      'Thanks,\nI wanted to let you know that the trip is going ahead on Friday and we will meet at the gate at nine, so please bring a coat.\n';
    expect(kinds(text).map(([kind]) => kind)).toEqual(['body']);
    expect(kinds('Thanks for today\nMy number is 07700 900123').map(([kind]) => kind)).toEqual(['body']);
  });

  it('gives subject and attachment names their own parts, cut from their own sources', () => {
    const input = { subject: ' Re: trip ', text: 'Hello', attachmentNames: ['a.pdf', 'my number 07700 900123.docx'] };
    const parts = extractParts(input);
    expect(parts.map((p) => [p.kind, p.text])).toEqual([
      ['subject', 'Re: trip'],
      ['body', 'Hello'],
      ['attachment-name', 'a.pdf'],
      ['attachment-name', 'my number 07700 900123.docx'],
    ]);
    expectExactSubstrings(input, parts);
  });
});

describe('extractParts on HTML', () => {
  it('cuts Gmail’s quote and finds the sign-off signature in the authored HTML', () => {
    const html =
      '<div dir="ltr">See attached.<div>Best wishes,</div><div>Miss Patel</div></div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Jo wrote:<br></div><blockquote class="gmail_quote">call me 07700900123</blockquote></div>';
    const parts = extractParts({ html });
    expect(parts.map((p) => p.kind)).toEqual(['html', 'signature', 'quoted']);
    expect(parts[2]!.text).toMatch(/^<div class="gmail_quote">.*07700900123<\/blockquote><\/div>$/);
    expect(parts.every((p) => p.source === 'html')).toBe(true);
    expectExactSubstrings({ html }, parts);
  });

  it('treats everything from Outlook’s reply marker on as quoted', () => {
    const html =
      '<html><body><div>Fine thanks</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Jo</div><div>pupil text</div></body></html>';
    const parts = extractParts({ html });
    expect(parts.map((p) => [p.kind, p.text])).toEqual([
      ['html', '<html><body><div>Fine thanks</div>'],
      ['quoted', html.slice(html.indexOf('<div id="appendonsend">'))],
    ]);
  });

  it('finds Outlook desktop’s From/Sent/To/Subject block written as text', () => {
    const html =
      '<p class=MsoNormal>See you tomorrow</p><div style="border-top:solid #E1E1E1 1.0pt"><p class=MsoNormal><b>From:</b> Jo<br><b>Sent:</b> Monday<br><b>To:</b> Mr H<br><b>Subject:</b> hi</p></div><p>pupil words 07700 900123</p>';
    const parts = extractParts({ html });
    expect(parts.map((p) => p.kind)).toEqual(['html', 'quoted']);
    expect(parts[1]!.text).toContain('pupil words 07700 900123');
    expect(parts[0]!.text).not.toContain('pupil words');
  });

  it('screens a blockquote the sender made with the indent button', () => {
    const html = '<div>Mine</div><blockquote style="margin:0 0 0 40px">my snap is mr.h</blockquote>';
    expect(extractParts({ html }).map((p) => p.kind)).toEqual(['html']);
  });

  it('marks a Gmail signature block as the signature', () => {
    const html =
      '<div>Mine</div><div class="gmail_signature" data-smartmail="gmail_signature">Mr H<br>01632 960000</div>';
    expect(extractParts({ html }).map((p) => [p.kind, p.text])).toEqual([
      ['html', '<div>Mine</div>'],
      ['signature', '<div class="gmail_signature" data-smartmail="gmail_signature">Mr H<br>01632 960000</div>'],
    ]);
  });
});

describe('parts cut from an HTML body keep their HTML source (the MessagePart contract)', () => {
  const html =
    '<div>See you Monday.</div><div class="gmail_signature" data-smartmail="gmail_signature">Mr H<br>Mob:&nbsp;<b>07700</b>&nbsp;900123</div>';

  it('gives a signature cut from HTML source "html" and HTML text', () => {
    const signature = extractParts({ html }).find((p) => p.kind === 'signature')!;
    expect(signature.source).toBe('html');
    expect(signature.text).toMatch(/^<div class="gmail_signature"/);
    expectExactSubstrings({ html }, extractParts({ html }));
  });

  it('is screened rendered, so a number split by tags and entities in an HTML signature is found', () => {
    const rules = compileYaml(rule('mobile', 'detector: { name: phone, types: [mobile] }'));
    const verdict = classify({ html }, rules);
    const finding = verdict.findings.find((f) => f.part === 'signature');
    expect(finding?.detail).toEqual({ numberType: 'mobile', e164: '+447700900123' });
    expect(finding!.text).toBe('07700</b>&nbsp;900123');
  });
});

describe('extractParts on hostile HTML', () => {
  it('marks nothing it cannot follow past the depth cap and still returns parts', () => {
    const html = '<div>mine</div>' + '<blockquote type="cite">'.repeat(100_000) + 'deep';
    const parts = extractParts({ html });
    expect(parts.map((p) => p.kind)).toEqual(['html', 'quoted']);
  });
});
