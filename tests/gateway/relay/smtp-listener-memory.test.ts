// The listener's bound on message bytes held in memory: past it a message is answered 452 4.3.1 and can be retried.
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { envelopeRules } from '../../../src/gateway/envelope-check.js';
import { createLogger } from '../../../src/gateway/logger.js';
import { replies } from '../../../src/gateway/smtp-replies.js';
import { startSmtpListener, type AcceptedMessage, type SmtpListener } from '../../../src/gateway/smtp-listener.js';
import { ADDRESSES, RawClient, rfc5322 } from './harness.js';

describe('SMTP listener memory bound', () => {
  let listener: SmtpListener | undefined;
  afterEach(async () => listener?.drain());

  it('answers 452 4.3.1 while other messages fill the memory bound, and accepts the retry once they are done', async () => {
    const config = configSchema.parse({
      organisation: { domains: ['oakfield.sch.uk'] },
      smtp: { listen: '127.0.0.1:0', closeTimeoutSeconds: 1 },
    });
    let release!: () => void;
    const slowRelay = new Promise<void>((resolve) => (release = resolve));
    const accepted: AcceptedMessage[] = [];
    listener = await startSmtpListener(
      {
        smtp: config.smtp,
        state: () => ({ envelope: envelopeRules(config), users: [] }),
        logger: createLogger('silent'),
        maxBufferedBytes: 6000,
        async onMessage(message) {
          accepted.push(message);
          // The first message is still being relayed (its bytes still held) while the second arrives.
          if (accepted.length === 1) await slowRelay;
          return replies.delivered('TEST');
        },
      },
      { host: '127.0.0.1', port: 0 },
    );
    const message = rfc5322(ADDRESSES.staff, ADDRESSES.external, 'Bulk', 'x'.repeat(4000));
    const open = async (): Promise<RawClient> => {
      const client = await RawClient.open(listener!.address.port);
      await client.reply();
      await client.command('EHLO client.test');
      await client.command(`MAIL FROM:<${ADDRESSES.staff}>`);
      await client.command(`RCPT TO:<${ADDRESSES.external}>`);
      return client;
    };
    const first = await open();
    const firstReply = first.data(message);
    await new Promise((r) => setTimeout(r, 100));

    const second = await open();
    expect(await second.data(message)).toMatch(/^452 4\.3\.1 This relay is holding as much mail in memory/);
    expect(await second.command(`MAIL FROM:<${ADDRESSES.staff}> SIZE=5000`)).toMatch(/^452 4\.3\.1 /);

    release();
    expect(await firstReply).toMatch(/^250 2\.0\.0 /);
    expect(await second.command(`MAIL FROM:<${ADDRESSES.staff}>`)).toMatch(/^250 /);
    await second.command(`RCPT TO:<${ADDRESSES.external}>`);
    expect(await second.data(message)).toMatch(/^250 2\.0\.0 /);
    first.close();
    second.close();
    expect(accepted).toHaveLength(2);
  });
});
