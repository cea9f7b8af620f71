// Quoted, signature and hidden text are marked from attributes and text with their entities decoded, as a browser
// reads them and as the rendered and hidden text are read. (They were marked from the raw source, so a style written
// with an entity hid its text from the rendering without the hidden text being screened.)
import { describe, expect, it } from 'vitest';
import { extractParts } from '../../src/classifier/extract-parts.js';
import { classify } from '../../src/classifier/index.js';
import { compileYaml, rule } from './fixture-rules.js';

function kinds(html: string): string[] {
  return extractParts({ html }).map((p) => p.kind);
}

describe('HTML marked with entities decoded', () => {
  it('screens text hidden by a style written with an entity', () => {
    const html = '<p>Hi there</p><div style="display&#58;none">ring me on 07700 900123</div>';
    expect(kinds(html)).toEqual(['html', 'hidden']);
    const rules = compileYaml(rule('mobile', 'detector: { name: phone, types: [mobile] }'));
    const finding = classify({ html }, rules).findings.find((f) => f.part === 'hidden');
    expect(finding?.detail).toEqual({ numberType: 'mobile', e164: '+447700900123' });
  });

  it('marks a quote whose class is written with an entity', () => {
    expect(kinds('<p>Hi there</p><div class="gmail&#95;quote">earlier words</div>')).toEqual(['html', 'quoted']);
  });

  it('finds no hidden text where an entity stands for a space', () => {
    expect(kinds('<p>Hi there</p><img alt="&#32;" src="x.png">')).toEqual(['html']);
    expect(kinds('<p>Hi there</p><span style="font-size:0">&#32;</span>')).toEqual(['html']);
  });
});
