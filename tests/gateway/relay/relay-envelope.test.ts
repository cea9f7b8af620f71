// Who may send through the relay, and the limits it enforces: never an open relay, every refusal a clear 4xx/5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/gateway/serve.js';
import {
  ADDRESSES,
  RawClient,
  createSetup,
  rfc5322,
  sendMessage,
  startGateway,
  startSink,
  type Sink,
  type TestSetup,
} from './harness.js';

describe('relay: envelope checks and limits', () => {
  let sink: Sink;
  let setup: TestSetup;
  let gateway: RunningGateway;

  beforeAll(async () => {
    sink = await startSink();
    setup = createSetup(sink.port, {
      smtp: {
        listen: '127.0.0.1:0',
        hostname: 'chaperone.test',
        maxSize: 20_000,
        maxRecipients: 3,
        maxConnectionsPerClient: 3,
        closeTimeoutSeconds: 2,
        dataTimeoutSeconds: 1,
      },
    });
    gateway = await startGateway(setup);
  });

  afterAll(async () => {
    await gateway?.stop();
    await sink?.close();
    setup?.cleanup();
  });

  it('announces SIZE, PIPELINING, 8BITMIME, SMTPUTF8 and ENHANCEDSTATUSCODES in EHLO', async () => {
    const client = await RawClient.open(gateway.smtp.port);
    try {
      expect(await client.reply()).toMatch(/^220 chaperone\.test ESMTP/);
      const ehlo = await client.command('EHLO client.test');
      for (const extension of ['SIZE 20000', 'PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES']) {
        expect(ehlo).toMatch(new RegExp(`^250[- ]${extension}$`, 'm'));
      }
      expect(ehlo).not.toContain('STARTTLS');
      expect(ehlo).not.toContain('AUTH');
    } finally {
      client.close();
    }
  });

  it('refuses a sender outside the school domains with 550 5.7.1', async () => {
    const replies = await sendMessage(gateway.smtp.port, 'someone@elsewhere.example', [ADDRESSES.pupil], 'x');
    expect(replies.mail).toMatch(/^550 5\.7\.1 The sender address <someone@elsewhere\.example> is not in a domain/);
    expect(replies.data).toBe('');
  });

  it('refuses to relay to any outside domain for a foreign sender: never an open relay', async () => {
    const client = await RawClient.open(gateway.smtp.port);
    try {
      await client.reply();
      await client.command('EHLO spammer.example');
      expect(await client.command('MAIL FROM:<bulk@spam.example>')).toMatch(/^550 5\.7\.1/);
      expect(await client.command('RCPT TO:<victim@gmail.com>')).toMatch(/^503 /);
      expect(await client.command('DATA')).toMatch(/^503 /);
    } finally {
      client.close();
    }
    expect(sink.messages).toHaveLength(0);
  });

  it('accepts a school sender with any case in the domain', async () => {
    const message = rfc5322('J.Morgan@Oakfield.SCH.UK', ADDRESSES.external, 'Hello', 'Hello there');
    const replies = await sendMessage(gateway.smtp.port, 'J.Morgan@Oakfield.SCH.UK', [ADDRESSES.external], message);
    expect(replies.mail).toMatch(/^250 /);
    expect(replies.data).toMatch(/^250 2\.0\.0/);
  });

  it('answers a message over smtp.maxSize with 552 5.3.4 and does not deliver it', async () => {
    const before = sink.messages.length;
    const big = rfc5322(ADDRESSES.staff, ADDRESSES.external, 'Big', `${'a'.repeat(76)}\r\n`.repeat(400));
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.external], big);
    expect(replies.data).toMatch(/^552 5\.3\.4 The message is larger than this relay accepts \(20 KB\)/);
    expect(sink.messages.length).toBe(before);
  });

  it('refuses recipients past smtp.maxRecipients with 452 4.5.3', async () => {
    const client = await RawClient.open(gateway.smtp.port);
    try {
      await client.reply();
      await client.command('EHLO client.test');
      await client.command(`MAIL FROM:<${ADDRESSES.staff}>`);
      for (let i = 0; i < 3; i++) expect(await client.command(`RCPT TO:<r${i}@example.org>`)).toMatch(/^250 /);
      expect(await client.command('RCPT TO:<r3@example.org>')).toMatch(/^452 4\.5\.3 Too many recipients/);
    } finally {
      client.close();
    }
  });

  it('refuses a fourth connection from one address with 421 4.7.0 and lets the others work', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.open(gateway.smtp.port)));
    try {
      for (const c of clients) expect(await c.reply()).toMatch(/^220 /);
      const extra = await RawClient.open(gateway.smtp.port);
      expect(await extra.reply()).toMatch(/^421 4\.7\.0 Too many connections from 127\.0\.0\.1/);
      extra.close();
      expect(await clients[0]!.command('NOOP')).toMatch(/^250 /);
    } finally {
      for (const c of clients) c.close();
    }
  });

  it('refuses a message that has been through 50 servers with 554 5.4.6: a routing loop, not delivered', async () => {
    const before = sink.messages.length;
    const hops = Array.from(
      { length: 50 },
      (_, i) => `Received: from hop${i}.example by hop${i + 1}.example; Mon, 2 Mar 2026`,
    );
    const looped = `${hops.join('\r\n')}\r\n${rfc5322(ADDRESSES.staff, ADDRESSES.external, 'Loop', 'Round and round.')}`;
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.external], looped);
    expect(replies.data).toMatch(/^554 5\.4\.6 The message has passed through 50 mail servers/);
    expect(sink.messages.length).toBe(before);
  });

  it('accepts the null sender (bounces) from an allowed client', async () => {
    const replies = await sendMessage(
      gateway.smtp.port,
      '',
      [ADDRESSES.external],
      rfc5322('MAILER-DAEMON', 'x', 'Bounce', 'b'),
    );
    expect(replies.mail).toMatch(/^250 /);
    expect(replies.data).toMatch(/^250 2\.0\.0/);
  });

  it('closes a connection whose message still trickles in after the DATA time limit, keeping nothing', async () => {
    const client = await RawClient.open(gateway.smtp.port);
    await client.reply();
    await client.command('EHLO slow.test');
    await client.command(`MAIL FROM:<${ADDRESSES.staff}>`);
    await client.command(`RCPT TO:<${ADDRESSES.pupil}>`);
    expect(await client.command('DATA')).toMatch(/^354/);
    // A byte every 100 ms keeps the idle timeout from ever firing: only the DATA limit ends this.
    const trickle = setInterval(() => client.write('x'), 100);
    try {
      expect(await client.reply()).toMatch(/^421 4\.4\.2 .*longer than 1 seconds/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(client.closed).toBe(true);
    } finally {
      clearInterval(trickle);
      client.close();
    }
    const delivered = sink.messages.length;
    const next = await sendMessage(
      gateway.smtp.port,
      ADDRESSES.staff,
      [ADDRESSES.pupil],
      rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Trip', 'Bring a coat.'),
    );
    expect(next.data).toMatch(/^250 /);
    expect(sink.messages).toHaveLength(delivered + 1);
  });
});

describe('relay: client networks', () => {
  it('refuses a client outside smtp.allowNetworks with 554 5.7.1 before it can say anything', async () => {
    const sink = await startSink();
    const setup = createSetup(sink.port, {
      smtp: { listen: '127.0.0.1:0', allowNetworks: ['10.0.0.0/8', '2001:db8::/32'], closeTimeoutSeconds: 1 },
    });
    const gateway = await startGateway(setup);
    try {
      const client = await RawClient.open(gateway.smtp.port);
      expect(await client.reply()).toMatch(/^554 5\.7\.1 This relay does not accept mail from 127\.0\.0\.1/);
      client.close();
    } finally {
      await gateway.stop();
      await sink.close();
      setup.cleanup();
    }
  });

  it('refuses to start without any sender domain rather than become an open relay', async () => {
    const sink = await startSink();
    const setup = createSetup(sink.port, { organisation: { name: 'No domains' } });
    try {
      await expect(startGateway(setup)).rejects.toThrow(/no sender domains are configured/);
    } finally {
      await sink.close();
      setup.cleanup();
    }
  });
});
