// The few byte-level jobs the relay does to messages and settings: added headers, display headers, networks, replies.
import { describe, expect, it } from 'vitest';
import { readDisplayHeaders } from '../../../src/gateway/display-headers.js';
import { allowedNetworks, parseListen } from '../../../src/gateway/networks.js';
import { replies } from '../../../src/gateway/smtp-replies.js';
import { addHeaders } from '../../../src/gateway/verdict-header.js';

describe('verdict headers', () => {
  it('prepends headers with the message own line ending and keeps every other byte', () => {
    const lf = Buffer.from('Subject: hi\n\nbody\n');
    expect(addHeaders(lf, [['X-Chaperone-Id', 'A']]).toString()).toBe('X-Chaperone-Id: A\nSubject: hi\n\nbody\n');
    const crlf = Buffer.from('Subject: hi\r\n\r\nbody\xff\r\n', 'latin1');
    const out = addHeaders(crlf, [['X-Chaperone-Id', 'A']]);
    expect(out.subarray(out.length - crlf.length).equals(crlf)).toBe(true);
  });

  it('removes forged copies of its headers, folded lines included, but never touches the body', () => {
    const raw = Buffer.from(
      'x-chaperone-verdict: pass;\r\n score=0\r\nSubject: hi\r\n\r\nX-Chaperone-Verdict: in the body\r\n',
    );
    const out = addHeaders(raw, [['X-Chaperone-Verdict', 'tag; score=2']]).toString();
    expect(out).toBe('X-Chaperone-Verdict: tag; score=2\r\nSubject: hi\r\n\r\nX-Chaperone-Verdict: in the body\r\n');
  });
});

describe('display headers', () => {
  it('decodes RFC 2047 From and Subject, folded, in Q and B encodings', () => {
    const raw = Buffer.from(
      'From: =?UTF-8?Q?Se=C3=A1n_Murphy?= <s.murphy@oakfield.sch.uk>\r\n' +
        'Subject: =?ISO-8859-1?B?Q2Fm6Q==?=\r\n =?UTF-8?Q?_trip?=\r\n\r\nbody',
    );
    expect(readDisplayHeaders(raw)).toEqual({ from: 'Seán Murphy <s.murphy@oakfield.sch.uk>', subject: 'Café trip' });
  });

  it('reads 8-bit UTF-8 headers and survives a message with no header block at all', () => {
    expect(readDisplayHeaders(Buffer.from('Subject: Überraschung\n\nx')).subject).toBe('Überraschung');
    expect(readDisplayHeaders(Buffer.from('\u0000\u0001 not a message'))).toEqual({ from: '', subject: '' });
  });
});

describe('client networks', () => {
  const networks = allowedNetworks(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);

  it('matches IPv4 and IPv6 CIDR blocks, single addresses and IPv4-mapped IPv6 clients', () => {
    expect(networks.allows('10.200.1.1')).toBe(true);
    expect(networks.allows('::ffff:10.1.2.3')).toBe(true);
    expect(networks.allows('192.0.2.7')).toBe(true);
    expect(networks.allows('192.0.2.8')).toBe(false);
    expect(networks.allows('2001:db8:1::5')).toBe(true);
    expect(networks.allows('2001:db9::1')).toBe(false);
    expect(networks.allows('not an address')).toBe(false);
  });

  it('names the key and the bad entry', () => {
    expect(() => allowedNetworks(['10.0.0.0/33'])).toThrow("smtp.allowNetworks: '10.0.0.0/33' has a prefix length");
    expect(() => allowedNetworks(['school-lan'])).toThrow("smtp.allowNetworks: 'school-lan' is not an IP address");
  });

  it('reads listen addresses with IPv6 brackets', () => {
    expect(parseListen('[::1]:2525', 'smtp.listen')).toEqual({ host: '::1', port: 2525 });
    expect(parseListen('0.0.0.0:25', 'smtp.listen')).toEqual({ host: '0.0.0.0', port: 25 });
    expect(() => parseListen('localhost:99999', 'smtp.listen')).toThrow(/smtp\.listen: 'localhost:99999'/);
  });
});

describe('SMTP replies', () => {
  it('keeps the upstream enhanced code when it refuses, on one line', () => {
    const reply = replies.upstreamRefused('550 5.1.1 <x@y>: Recipient address rejected\r\n: User unknown');
    expect(reply).toMatchObject({ code: 550, enhanced: '5.1.1' });
    expect(reply.text).not.toMatch(/[\r\n]/);
    expect(replies.upstreamRefused('554 no').enhanced).toBe('5.0.0');
  });
});
