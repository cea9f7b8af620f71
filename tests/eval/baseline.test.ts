import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BodyChecksError, loadBodyChecks, parseBodyChecks, screenWithBodyChecks } from '../../src/eval/baseline.js';
import { buildMime } from '../../src/eval/build-mime.js';
import { corpusRecordSchema } from '../../src/eval/corpus-record.js';

const TABLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../corpus/baseline/body_checks.pcre');

function mime(body: string, encoding: 'plain' | 'base64' | 'html' = 'plain') {
  return buildMime(corpusRecordSchema.parse({ id: 'b', expect: [], note: 'n', subject: 'Trip', body, encoding }));
}

describe('the regex-only baseline', () => {
  it('reads a Postfix PCRE table, naming the file and line of a malformed entry', () => {
    expect(() => parseBodyChecks('# comment\n\n/ok/ HOLD suggestive: fine\nnot a rule\n', 'checks.pcre')).toThrow(
      /^checks\.pcre:4: expected/,
    );
    expect(() => parseBodyChecks('/a/ HOLD spam: nope\n', 'checks.pcre')).toThrow(BodyChecksError);
    expect(() => parseBodyChecks('/(?=look)/ HOLD suggestive: x\n', 'checks.pcre')).toThrow(/checks\.pcre:1: .* RE2/);
  });

  it('holds a message when a HOLD line matches, case-insensitively, and names the category', async () => {
    const checks = parseBodyChecks('/our little secret/ HOLD personal-content: secrecy\n', 't');
    const outcome = await screenWithBodyChecks(await mime('Remember, this is OUR LITTLE SECRET.'), checks);
    expect(outcome.action).toBe('hold');
    expect(outcome.findings).toEqual([
      { rule: 'body_checks:1', category: 'personal-content', text: 'OUR LITTLE SECRET' },
    ]);
  });

  it('lets a line through when an earlier DUNNO entry matches it first, as Postfix does', async () => {
    const checks = parseBodyChecks('/01632 960000/ DUNNO school\n/0\\d{4} \\d{6}/ HOLD contact-details: phone\n', 't');
    expect((await screenWithBodyChecks(await mime('Call reception on 01632 960000.'), checks)).action).toBe('pass');
    expect((await screenWithBodyChecks(await mime('Call me on 01632 960555.'), checks)).action).toBe('hold');
  });

  it('checks decoded text, so base64 and HTML-only bodies are screened too', async () => {
    const checks = parseBodyChecks('/gorgeous/ HOLD suggestive: appearance\n', 't');
    expect((await screenWithBodyChecks(await mime('You look gorgeous today', 'base64'), checks)).action).toBe('hold');
    expect((await screenWithBodyChecks(await mime('You look gorgeous today', 'html'), checks)).action).toBe('hold');
  });

  it('ships a table that catches a plain personal mobile and lets the school number through', async () => {
    const checks = await loadBodyChecks(TABLE);
    expect(
      (await screenWithBodyChecks(await mime('Text me on 07700 900123 if you need anything.'), checks)).action,
    ).toBe('hold');
    expect((await screenWithBodyChecks(await mime('Please ring reception on 01632 960000.'), checks)).action).toBe(
      'pass',
    );
  });
});
