// STARTTLS with the configured certificate, smtp.requireTls, and SMTP AUTH against scrypt hashes or plain passwords.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/gateway/passwords.js';
import type { RunningGateway } from '../../../src/gateway/serve.js';
import { ADDRESSES, RawClient, createSetup, startGateway, startSink, type Sink, type TestSetup } from './harness.js';

const PASSWORD = 'correct horse battery staple';

function makeSelfSignedCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'relay.key');
  const cert = join(dir, 'relay.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
      '-subj',
      '/CN=chaperone.test',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  return { key, cert };
}

describe('relay: STARTTLS and AUTH', () => {
  let sink: Sink;
  let setup: TestSetup;
  let gateway: RunningGateway;

  beforeAll(async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    const tls = makeSelfSignedCertificate(setup.dir);
    setup.writeConfig({
      smtp: {
        listen: '127.0.0.1:0',
        hostname: 'chaperone.test',
        tls,
        requireTls: true,
        auth: {
          required: true,
          users: [
            { username: 'mailserver', passwordHash: await hashPassword(PASSWORD) },
            { username: 'legacy', password: 'plain-text-secret' },
          ],
        },
        closeTimeoutSeconds: 2,
      },
    });
    gateway = await startGateway(setup);
  });

  afterAll(async () => {
    await gateway?.stop();
    await sink?.close();
    setup?.cleanup();
  });

  function transport(auth?: { user: string; pass: string }) {
    return nodemailer.createTransport({
      host: '127.0.0.1',
      port: gateway.smtp.port,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth,
    });
  }

  it('offers STARTTLS, and AUTH only once the connection is encrypted', async () => {
    const client = await RawClient.open(gateway.smtp.port);
    try {
      await client.reply();
      const ehlo = await client.command('EHLO client.test');
      expect(ehlo).toMatch(/^250[- ]STARTTLS$/m);
      expect(await client.command('MAIL FROM:<j.morgan@oakfield.sch.uk>')).toMatch(/^530 5\.7\.0 /);
    } finally {
      client.close();
    }
  });

  it('relays over STARTTLS for a user whose password matches the scrypt hash', async () => {
    const info = await transport({ user: 'mailserver', pass: PASSWORD }).sendMail({
      from: ADDRESSES.staff,
      to: ADDRESSES.external,
      subject: 'Over TLS',
      text: 'Encrypted and logged in.',
    });
    expect(info.response).toMatch(/^250 2\.0\.0 /);
    expect(sink.messages.at(-1)?.raw.toString()).toContain('Encrypted and logged in.');
    // RFC 3848: ESMTP, S for TLS, A for a logged-in client.
    expect(sink.messages.at(-1)?.raw.toString()).toMatch(/\r\n\tby chaperone\.test \(Chaperone\) with ESMTPSA id /);
  });

  it('accepts a plain password from the config too', async () => {
    const info = await transport({ user: 'legacy', pass: 'plain-text-secret' }).sendMail({
      from: ADDRESSES.staff,
      to: ADDRESSES.external,
      subject: 'Plain',
      text: 'Plain password user.',
    });
    expect(info.response).toMatch(/^250 /);
  });

  it('refuses a wrong password with 535 5.7.8', async () => {
    await expect(
      transport({ user: 'mailserver', pass: 'wrong' }).sendMail({
        from: ADDRESSES.staff,
        to: ADDRESSES.external,
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 535, response: expect.stringMatching(/^535 5\.7\.8 /) });
  });

  it('refuses an unknown user name the same way as a wrong password', async () => {
    await expect(
      transport({ user: 'nobody', pass: PASSWORD }).sendMail({
        from: ADDRESSES.staff,
        to: ADDRESSES.external,
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 535, response: expect.stringMatching(/^535 5\.7\.8 /) });
  });

  it('refuses to take mail from a client that has not logged in, with 530 5.7.0', async () => {
    await expect(
      transport().sendMail({ from: ADDRESSES.staff, to: ADDRESSES.external, text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 530, response: expect.stringMatching(/^530 5\.7\.0 /) });
  });
});
