// Recipient classes from MIS CSV exports and domains, and the policy a message with several recipients gets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { readDirectoryCsv } from '../../../src/gateway/directory-csv.js';
import { messagePolicy } from '../../../src/gateway/policy.js';
import { DirectoryFileError, loadDirectory } from '../../../src/gateway/recipient-directory.js';

const dir = mkdtempSync(join(tmpdir(), 'chaperone-directory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('MIS CSV exports', () => {
  it('reads columns in any order and case, with a byte-order mark and quoted names holding commas', () => {
    const csv =
      '\ufeff"Year Group","LEGAL SURNAME","Legal Forename","E-Mail"\r\n9,"O\'Neil, Jr",Sam,Sam.ONeil@Pupils.Example.sch.uk\r\n';
    const { entries } = readDirectoryCsv(csv, 'pupils.csv');
    expect(entries).toEqual([{ address: 'sam.oneil@pupils.example.sch.uk', name: "Sam O'Neil, Jr", yearGroup: '9' }]);
  });

  it('reads semicolon-separated exports and two addresses in one cell', () => {
    const csv = 'Name;Email\nGrace Okafor;"grace@example.org, g.okafor@example.com"\n';
    const { entries } = readDirectoryCsv(csv, 'parents.csv');
    expect(entries.map((e) => e.address)).toEqual(['grace@example.org', 'g.okafor@example.com']);
  });

  it('skips rows without a usable address and says which lines', () => {
    const csv = 'email,name\nnot-an-address,Someone\n,Nobody\nok@example.com,Fine\n';
    const result = readDirectoryCsv(csv, 'parents.csv');
    expect(result.entries.map((e) => e.address)).toEqual(['ok@example.com']);
    expect(result.skipped).toEqual([
      "parents.csv:2: 'not-an-address' is not an e-mail address",
      'parents.csv:3: no e-mail address',
    ]);
  });

  it('names the file and the headers it found when there is no e-mail column', () => {
    expect(() => readDirectoryCsv('Forename,Surname\nA,B\n', 'staff.csv')).toThrow(
      "staff.csv:1: no e-mail column in the header row (found 'Forename', 'Surname')",
    );
  });
});

describe('recipient directory', () => {
  const settings = configSchema.parse({
    directory: {
      pupils: { domains: ['pupils.example.sch.uk'], csv: [file('pupils.csv', 'Email\nlisted.pupil@gmail.com\n')] },
      parents: { csv: [file('parents.csv', 'Email\nmum@example.com\nboth@example.com\n')] },
      staff: { domains: ['example.sch.uk'], csv: [file('staff.csv', 'Email\nboth@example.com\n')] },
    },
  }).directory;

  it('classes addresses by CSV entry first, then by domain, and everything else as external', async () => {
    const directory = await loadDirectory(settings);
    expect(directory.classify('Listed.Pupil@Gmail.com').class).toBe('pupil');
    expect(directory.classify('anyone@pupils.example.sch.uk').class).toBe('pupil');
    expect(directory.classify('mum@example.com').class).toBe('parent');
    expect(directory.classify('teacher@example.sch.uk').class).toBe('staff');
    expect(directory.classify('someone@sub.example.sch.uk').class).toBe('external');
    expect(directory.classify('stranger@example.org')).toEqual({ class: 'external', source: 'none' });
  });

  it('gives an address listed in two exports the stricter class (a member of staff who is also a parent)', async () => {
    const directory = await loadDirectory(settings);
    expect(directory.classify('both@example.com').class).toBe('parent');
    expect(directory.counts).toEqual({ pupil: 1, parent: 2, staff: 0 });
  });

  it('refuses a missing CSV file, naming it', async () => {
    const broken = configSchema.parse({ directory: { pupils: { csv: [join(dir, 'missing.csv')] } } }).directory;
    await expect(loadDirectory(broken)).rejects.toThrow(DirectoryFileError);
    await expect(loadDirectory(broken)).rejects.toThrow(/missing\.csv: file not found/);
  });
});

describe('message policy', () => {
  const policy = configSchema.parse({
    policy: { parent: { mode: 'monitor', categories: ['contact-details'] } },
  }).policy;

  it('treats a message by its strictest recipient: screen beats monitor beats off', () => {
    const mixed = messagePolicy(policy, [
      { address: 'a', class: 'staff' },
      { address: 'b', class: 'parent' },
      { address: 'c', class: 'pupil' },
    ]);
    expect(mixed).toEqual({
      mode: 'screen',
      recipientClass: 'pupil',
      categories: ['contact-details', 'personal-content', 'suggestive'],
    });
  });

  it('monitors a message to a parent and staff for the parent categories only', () => {
    expect(
      messagePolicy(policy, [
        { address: 'a', class: 'staff' },
        { address: 'b', class: 'parent' },
      ]),
    ).toEqual({ mode: 'monitor', recipientClass: 'parent', categories: ['contact-details'] });
  });

  it('leaves a message to staff and external recipients alone', () => {
    expect(messagePolicy(policy, [{ address: 'a', class: 'external' }]).mode).toBe('off');
  });
});
