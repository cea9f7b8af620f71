// A part is tokenised for the word index only when the index's gate, read in the patterns' set scan, says a token
// could be one of its first words. Skipping the rest must change no hit of any words or phrase rule.
import { describe, expect, it } from 'vitest';
import { compileRules, type CompiledRules } from '../../../src/classifier/index.js';
import { NlpBudget, ScreenText, type ScanTables } from '../../../src/classifier/matchers/screen-text.js';
import { normalise } from '../../../src/classifier/normalise.js';
import { readPackFolder, shippedRulesDir } from '../../../src/config/rule-packs.js';
import { pick, prng } from '../../../bench/school-mail.js';
import { compileYaml, rule } from '../fixture-rules.js';

/** Every owner's hits on the text, with the gate as compiled or without it (every text tokenised). */
function hitsOf(text: string, tables: ScanTables): unknown[] {
  const screen = new ScreenText(normalise(text), tables, new NlpBudget(10));
  const hits = [];
  for (let owner = 0; owner < tables.words.ownerCount; owner++) hits.push(screen.tokenHits(owner));
  return hits;
}

function expectGateChangesNoHit(text: string, rules: CompiledRules): void {
  expect(rules.tables.wordsGate).toBeDefined();
  expect(hitsOf(text, rules.tables), text).toEqual(hitsOf(text, { ...rules.tables, wordsGate: undefined }));
}

describe('the word index gate', () => {
  const rules = compileYaml(
    rule('kiss', "words: [xx, 'love you', '😘', gorgeous, \"don't tell\", 'c++']") +
      rule('meet', "phrase: '{meet} (after|before) school'"),
  );

  it.each([
    'xx',
    'gorgeous',
    'night 😘',
    'night😘x',
    "you're gorgeous's twin",
    'gorgeous’s twin',
    "Don't tell",
    'don’t tell',
    'I LOVE\n you',
    'met after school',
    'meeting before school',
    'c++ club',
    'xx7 and xxl, gorgeousness',
    'nothing here',
    'éxx xxé',
  ])('changes no hit in %j', (text) => {
    expectGateChangesNoHit(text, rules);
  });

  it('changes no hit of the shipped rules in any of their examples or in seeded mixes', async () => {
    const shipped = compileRules(await readPackFolder(shippedRulesDir()));
    const examples = shipped.rules.flatMap((r) => [...r.examples.flag, ...r.examples.pass].map((e) => e.text));
    for (const example of examples) expectGateChangesNoHit(example, shipped);
    const words = ['meet', 'tomorrow', 'pics', 'gorgeous', 'fall', 'you', 'me', '😘', "'", '’s', 'x', '1'];
    const joins = [' ', '', "'", '’', '-', '\n', '.'];
    const random = prng(7);
    for (let i = 0; i < 300; i++) {
      let text = pick(random, words);
      for (let k = 0; k < 4; k++) text += pick(random, joins) + pick(random, words);
      expectGateChangesNoHit(text, shipped);
    }
  });
});
