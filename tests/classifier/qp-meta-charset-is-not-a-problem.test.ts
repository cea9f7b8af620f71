// Regression: a quoted-printable HTML body carrying <meta charset=3D"utf-8"> was read as a message charset
// called "3d", so ordinary Outlook and Gmail HTML mail was held as unreadable.
import { expect, it } from 'vitest';
import { parseMime } from '../../src/classifier/parse-mime.js';

const MESSAGE = [
  'From: j.hughes@oakfield.sch.uk',
  'To: amira@pupils.oakfield.sch.uk',
  'Subject: Homework',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="alt"',
  '',
  '--alt',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Homework is on page 12.',
  '--alt',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3D"utf-8"></head>',
  '<body><p>Homework is on page 12.</p></body></html>',
  '--alt--',
  '',
].join('\r\n');

it('does not report a charset written inside an encoded body as the message charset', async () => {
  const message = await parseMime(MESSAGE);
  expect(message.problems ?? []).toEqual([]);
  expect(message.html).toContain('Homework is on page 12.');
});

it('still reports an unknown charset in a part header', async () => {
  const message = await parseMime(
    MESSAGE.replace('Content-Type: text/plain; charset=utf-8', 'Content-Type: text/plain; charset=x-nope'),
  );
  expect(message.problems).toEqual([expect.stringContaining('x-nope')]);
});
