// The shipped rule packs carry their own proof: every rule's flag:/pass: examples must hold, and every rule
// must give the DSL and the sender words they can act on.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules, runAllExamples, type CompiledRules } from '../../src/classifier/index.js';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');
const MIN_EXAMPLES_IN_ALL_PACKS = 200;
const MIN_EXAMPLES_PER_KIND = 2;
const SHIPPED_PACKS = ['contact-details.yaml', 'personal-content.yaml', 'suggestive.yaml'];

/** Section titles of the Guidance for Safer Working Practice (Safer Recruitment Consortium) the packs cite. */
const GUIDANCE_SECTIONS = new Set([
  'Communication with children (including the use of technology)',
  'Social contact outside of the workplace',
  'Gifts, rewards, favouritism and exclusion',
  'Infatuations and crushes',
  'Sexual conduct',
  'Transporting children',
  'Home visits',
  'One to one situations',
  'Social media',
  'Photography, videos and other images',
  'Power and positions of trust and authority',
  'Confidentiality',
]);

function loadShippedPacks(): CompiledRules {
  const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.yaml'));
  return compileRules(files.map((f) => ({ file: join(RULES_DIR, f), text: readFileSync(join(RULES_DIR, f), 'utf8') })));
}

const rules = loadShippedPacks();

describe('shipped rule packs', () => {
  it('include the three packs named in the design', () => {
    const files = new Set(rules.rules.map((r) => r.file.split(/[/\\]/).pop()));
    for (const pack of SHIPPED_PACKS) expect(files).toContain(pack);
  });

  it('pass every flag: and pass: example of every rule', () => {
    const run = runAllExamples(rules);
    const report = run.failures.map((f) => `${f.file.split(/[/\\]/).pop()}:${f.line} ${f.message}: "${f.example}"`);
    expect(report).toEqual([]);
  });

  it(`carry at least ${MIN_EXAMPLES_IN_ALL_PACKS} examples in all`, () => {
    const total = rules.rules.reduce((n, r) => n + r.examples.flag.length + r.examples.pass.length, 0);
    expect(total).toBeGreaterThanOrEqual(MIN_EXAMPLES_IN_ALL_PACKS);
  });

  it.each(rules.rules.map((r) => [r.id, r] as const))('%s has its own proof and plain words', (id, rule) => {
    expect(rule.examples.flag.length, `${id} flag examples`).toBeGreaterThanOrEqual(MIN_EXAMPLES_PER_KIND);
    expect(rule.examples.pass.length, `${id} pass examples`).toBeGreaterThanOrEqual(MIN_EXAMPLES_PER_KIND);
    expect(rule.explain.trim(), `${id} explain`).not.toBe('');
    expect(rule.advice.trim(), `${id} advice`).not.toBe('');
    expect(GUIDANCE_SECTIONS, `${id} cites a real section of the guidance`).toContain(rule.guidance);
    expect(id.startsWith(rule.category.split('-')[0] as string), `${id} is prefixed by its pack`).toBe(true);
  });
});
