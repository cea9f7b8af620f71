// A part is tokenised for the word index only when a list's gates, read in the patterns' set scan, say a token could
// be one of its first words (for a phrase: one for every anchor position). Skipping the rest must change no hit and
// no span of any rule.
import { describe, expect, it } from 'vitest';
import { compileRules, type CompiledRules } from '../../../src/classifier/index.js';
import { NlpBudget, ScreenText, type ScanTables } from '../../../src/classifier/matchers/screen-text.js';
import { normalise } from '../../../src/classifier/normalise.js';
import { readPackFolder, shippedRulesDir } from '../../../src/config/rule-packs.js';
import { pick, prng } from '../../../bench/school-mail.js';
import { compileYaml, rule } from '../fixture-rules.js';

const organisation = { domains: ['oakfield.sch.uk'], phones: ['0118 496 0000'], accounts: [] };

/** Every list's hits and every rule's spans on the text, with the given tables. */
function foundIn(text: string, rules: CompiledRules, tables: ScanTables): unknown[] {
  const screen = new ScreenText(normalise(text), tables, new NlpBudget(100));
  const hits = [];
  for (let owner = 0; owner < tables.words.ownerCount; owner++) hits.push(screen.tokenHits(owner));
  const spans = rules.rules.map((r) => r.matcher.find(screen, { organisation, limit: 50 }));
  return [hits, spans];
}

function expectGatesChangeNothing(text: string, rules: CompiledRules): void {
  expect(rules.tables.wordGates?.size).toBe(rules.tables.words.ownerCount);
  const ungated = { ...rules.tables, wordGates: undefined };
  expect(foundIn(text, rules, rules.tables), text).toEqual(foundIn(text, rules, ungated));
}

describe('the word index gates', () => {
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
    'we met. after school',
    'after school we meet',
    'c++ club',
    'xx7 and xxl, gorgeousness',
    'nothing here',
    'éxx xxé',
  ])('change nothing in %j', (text) => {
    expectGatesChangeNothing(text, rules);
  });

  it('change nothing the shipped rules find in any of their examples or in seeded mixes', async () => {
    const shipped = compileRules(await readPackFolder(shippedRulesDir()));
    const examples = shipped.rules.flatMap((r) => [...r.examples.flag, ...r.examples.pass].map((e) => e.text));
    for (const example of examples) expectGatesChangeNothing(example, shipped);
    const words = ['meet', 'tomorrow', 'pics', 'gorgeous', 'fall', 'you', 'me', '😘', "'", '’s', 'x', '1', 'for', 'at'];
    const joins = [' ', '', "'", '’', '-', '\n', '.', '. '];
    const random = prng(7);
    for (let i = 0; i < 300; i++) {
      let text = pick(random, words);
      for (let k = 0; k < 5; k++) text += pick(random, joins) + pick(random, words);
      expectGatesChangeNothing(text, shipped);
    }
  });
});
