// Hold ids and password hashes: the small pieces the store and the review app build on.
import { describe, expect, it } from 'vitest';
import { holdIdTime, newHoldId, parseHoldId } from '../../../src/gateway/ids.js';
import { hashPassword, isPasswordHash, needsRehash, verifyPassword } from '../../../src/gateway/passwords.js';

describe('hold ids', () => {
  it('are short, URL-safe, free of letters read as digits, and sort by time', () => {
    const earlier = newHoldId(new Date('2025-03-03T09:00:00.000Z'));
    const later = newHoldId(new Date('2025-03-03T09:00:00.001Z'));
    expect(earlier).toMatch(/^[0-9A-HJKMNP-TV-Z]{9}-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(encodeURIComponent(earlier)).toBe(earlier);
    expect(earlier < later).toBe(true);
    expect(holdIdTime(earlier)?.toISOString()).toBe('2025-03-03T09:00:00.000Z');
  });

  it('do not repeat across many made in the same millisecond', () => {
    const at = new Date();
    const ids = new Set(Array.from({ length: 20_000 }, () => newHoldId(at)));
    expect(ids.size).toBe(20_000);
  });

  it('are read back as a person types them after hearing them', () => {
    const id = newHoldId(new Date('2025-03-03T09:00:00Z'));
    const spoken = id.toLowerCase().replace('-', ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseHoldId(spoken)).toBe(id);
    expect(parseHoldId(id.replace('-', ''))).toBe(id);
    expect(parseHoldId('not-an-id')).toBeUndefined();
    expect(parseHoldId(`${id}X`)).toBeUndefined();
    expect(parseHoldId('0000000AA-BBBBBU')).toBeUndefined();
  });
});

describe('password hashes', () => {
  it('verify the password they were made from and nothing else', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(isPasswordHash(hash)).toBe(true);
    expect(needsRehash(hash)).toBe(false);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('differ for the same password (random salt)', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a).not.toBe(b);
  });

  it('refuse malformed or dangerously expensive hashes instead of running them', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const greedy = hash.replace('ln=15', 'ln=30');
    expect(isPasswordHash(greedy)).toBe(false);
    expect(await verifyPassword('correct horse battery staple', greedy)).toBe(false);
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$ln=15,r=8,p=1$$')).toBe(false);
    expect(needsRehash('$scrypt$ln=14,r=8,p=1$c2FsdHNhbHRzYWx0$' + 'A'.repeat(43))).toBe(true);
  });
});
