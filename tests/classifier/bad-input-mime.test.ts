// Whatever arrives, parseMime returns something the engine can decide on, quickly; what it could not read is named
// in `problems`. Time bounds are the harness's per-test timeout, not asserted durations.
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, parseMime } from '../../src/classifier/parse-mime.js';
import { extractParts } from '../../src/classifier/extract-parts.js';

const HEADERS = 'From: a@oakfield.sch.uk\r\nTo: b@pupils.oakfield.sch.uk\r\nSubject: test\r\n';
const BAD_INPUT_TIMEOUT_MS = 15_000;

function nested(depth: number): string {
  let open = HEADERS;
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    close = `\r\n--b${i}--\r\n` + close;
  }
  return open + 'Content-Type: text/plain\r\n\r\ndeep text 07700 900123\r\n' + close;
}

describe('parseMime on bad input', () => {
  it('returns an empty message for empty input', async () => {
    expect(await parseMime('')).toEqual({});
  });

  it('reports binary garbage as unreadable', { timeout: BAD_INPUT_TIMEOUT_MS }, async () => {
    const garbage = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919 + 13) % 256));
    const message = await parseMime(garbage);
    expect(message.problems?.length).toBeGreaterThan(0);
    expect(() => extractParts(message)).not.toThrow();
  });

  it('screens the head and tail of a 50 MB line and says so', { timeout: BAD_INPUT_TIMEOUT_MS }, async () => {
    const raw =
      HEADERS + 'Content-Type: text/plain\r\n\r\ncall 07700 900123 ' + 'a'.repeat(50 * 1024 * 1024) + ' the end';
    const message = await parseMime(raw);
    expect(message.text!.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(message.text!.startsWith('call 07700 900123')).toBe(true);
    expect(message.text!.endsWith(' the end')).toBe(true);
    expect(message.problems).toEqual([expect.stringMatching(/only its first and last .* were screened/)]);
  });

  it('reads 100 levels of MIME nesting', { timeout: BAD_INPUT_TIMEOUT_MS }, async () => {
    const message = await parseMime(nested(100));
    expect(message.text).toContain('deep text 07700 900123');
  });

  it(
    'falls back to the raw text when the structure is past mailparser’s limits',
    { timeout: BAD_INPUT_TIMEOUT_MS },
    async () => {
      const message = await parseMime(nested(3000));
      expect(message.problems).toEqual([expect.stringMatching(/MIME structure could not be read/)]);
      expect(message.text).toContain('deep text 07700 900123');
    },
  );

  it('reports a charset no decoder knows and still reads the text', async () => {
    const message = await parseMime(HEADERS + 'Content-Type: text/plain; charset=x-unknown-9\r\n\r\nhello there\r\n');
    expect(message.text?.trim()).toBe('hello there');
    expect(message.problems).toEqual([expect.stringContaining('x-unknown-9')]);
  });

  it('reports UTF-7, a way round keyword filters', async () => {
    const message = await parseMime(HEADERS + 'Content-Type: text/plain; charset=utf-7\r\n\r\nHi +AGQAbwBu-\r\n');
    expect(message.problems).toEqual([expect.stringContaining('utf-7')]);
  });

  it('reports a truncated multipart and keeps what arrived', async () => {
    const raw =
      HEADERS +
      'Content-Type: multipart/alternative; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nmy number is 07700 9001';
    const message = await parseMime(raw);
    expect(message.text).toContain('my number is 07700 9001');
    expect(message.problems).toEqual([expect.stringMatching(/truncated/)]);
  });

  it('survives headers too large to parse', { timeout: BAD_INPUT_TIMEOUT_MS }, async () => {
    const message = await parseMime('Subject: ' + 'x'.repeat(5_000_000) + '\r\n\r\nbody');
    expect(message.problems?.length).toBeGreaterThan(0);
    expect(message.text!.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
  });

  it('caps the attachment names it keeps', { timeout: BAD_INPUT_TIMEOUT_MS }, async () => {
    let raw =
      HEADERS + 'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n';
    for (let i = 0; i < 150; i++) {
      raw += `--m\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="f${i}.bin"\r\n\r\nAAAA\r\n`;
    }
    const message = await parseMime(raw + '--m--\r\n');
    expect(message.attachmentNames).toHaveLength(100);
    expect(message.problems).toEqual([expect.stringMatching(/150 named attachments/)]);
  });
});
