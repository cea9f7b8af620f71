// The HTML body is rendered once and each part cut from it reads its slice of that rendering, so a part keeps what
// its own source alone would lose: the <pre> it was cut from, a style sheet in the head that hides some of it.
import { describe, expect, it } from 'vitest';
import { classify, MAX_SCREENED_CHARS_PER_PART } from '../../src/classifier/index.js';
import { screenedText } from '../../src/classifier/classify.js';
import { extractPartsToScreen } from '../../src/classifier/extract-parts.js';
import type { MessageInput } from '../../src/classifier/types.js';
import { fixtureRules } from './fixture-rules.js';

const rules = fixtureRules();

function screenedParts(input: MessageInput): [string, string][] {
  return extractPartsToScreen(input)
    .filter(({ part }) => part.kind !== 'quoted')
    .map(({ part, rendering }) => [part.kind, screenedText(part, rendering).mapped.text]);
}

describe('HTML parts read from one rendering of the whole body', () => {
  it('reads a signature cut from the middle of a <pre> with its line breaks', () => {
    const html = '<pre>Hi Sam,\n\nSee you then.\n--\nMr D. Jones\nHead of Humanities</pre>';
    expect(screenedParts({ html })).toEqual([
      ['html', 'hi sam,\n\nsee you then.'],
      ['signature', '--\nmr d. jones\nhead of humanities'],
    ]);
  });

  it('keeps text that a style sheet in the head hides out of a signature and reads it as hidden text', () => {
    const html =
      '<html><head><style>.aside { display: none }</style></head><body><div>See you Monday.</div>' +
      '<div class="gmail_signature">Mr H<br>Don\'t <span class="aside">ever</span> tell your mum</div></body></html>';
    expect(screenedParts({ html })).toEqual([
      ['html', 'see you monday.'],
      ['signature', "mr h\ndon't tell your mum"],
      ['hidden', 'ever'],
    ]);
    expect(classify({ html }, rules).findings).toMatchObject([
      { rule: 'fixture-dont-tell', part: 'signature', text: 'Don\'t <span class="aside">ever</span> tell your mum' },
    ]);
  });

  it('holds a plain text and an HTML alternative over the screening bound for both, reading neither past it', () => {
    const text = `${'x'.repeat(MAX_SCREENED_CHARS_PER_PART)} our secret`;
    const verdict = classify({ text, html: text }, rules);
    expect(verdict.findings).toEqual([]);
    expect(verdict.problems).toEqual([
      expect.stringMatching(/^The body is too long to check in full/),
      expect.stringMatching(/^The message is too long to check in full/),
    ]);
  });
});
