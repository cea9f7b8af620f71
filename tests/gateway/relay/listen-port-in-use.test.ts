// Starting on a port something else already holds: one clear error naming smtp.listen, and no misleading warning first.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { envelopeRules } from '../../../src/gateway/envelope-check.js';
import { replies } from '../../../src/gateway/smtp-replies.js';
import { startSmtpListener } from '../../../src/gateway/smtp-listener.js';
import { memoryLogger } from './harness.js';

describe('SMTP listener on a port already in use', () => {
  let holder: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
  });

  it('fails with an error naming smtp.listen and the address, and logs no "SMTP connection error" before it', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', () => resolve()));
    const address = holder.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const config = configSchema.parse({ organisation: { domains: ['oakfield.sch.uk'] } });
    const log = memoryLogger();

    await expect(
      startSmtpListener(
        {
          smtp: config.smtp,
          state: () => ({ envelope: envelopeRules(config), users: [] }),
          logger: log.logger,
          onMessage: async () => replies.delivered('TEST'),
        },
        { host: '127.0.0.1', port },
      ),
    ).rejects.toThrow(`smtp.listen: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
    expect(log.lines.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
  });
});
