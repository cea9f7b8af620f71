// What the client hears when the upstream is down or refuses: a retryable 4xx or the upstream's 5xx, and nothing lost.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/gateway/serve.js';
import {
  ADDRESSES,
  createSetup,
  rfc5322,
  sendMessage,
  startGateway,
  startSink,
  type Sink,
  type TestSetup,
} from './harness.js';

const CLEAN = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Trip form', 'Please bring the signed form on Friday.');

describe('relay: upstream failures', () => {
  let sink: Sink | undefined;
  let setup: TestSetup | undefined;
  let gateway: RunningGateway | undefined;

  afterEach(async () => {
    await gateway?.stop();
    await sink?.close();
    setup?.cleanup();
    gateway = undefined;
    sink = undefined;
    setup = undefined;
  });

  it('answers 451 4.4.1 while the upstream is down, keeps nothing, and delivers when the client retries', async () => {
    const probe = await startSink();
    const port = probe.port;
    await probe.close();
    setup = createSetup(port);
    gateway = await startGateway(setup);

    const first = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], CLEAN);
    expect(first.data).toMatch(/^451 4\.4\.1 The school's onward mail server could not be reached/);
    expect(await gateway.store.countHolds()).toBe(0);

    sink = await startSink(port);
    const retry = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], CLEAN);
    expect(retry.data).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages).toHaveLength(1);
  });

  it("passes the upstream's permanent refusal back as a 5xx with its text", async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    gateway = await startGateway(setup);
    sink.refuseWith(550, '5.1.1 <amelia.hart@pupils.oakfield.sch.uk>: mailbox unavailable');
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], CLEAN);
    expect(replies.data).toMatch(/^550 5\.1\.1 The school's onward mail server refused this message \(it said: 550/);
    expect(replies.data).toContain('mailbox unavailable');
    expect(sink.messages).toHaveLength(0);
  });

  it("answers 451 4.3.0 when the upstream defers, so the client's server tries again", async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    gateway = await startGateway(setup);
    sink.refuseWith(451, 'greylisted, try again later');
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], CLEAN);
    expect(replies.data).toMatch(/^451 4\.3\.0 The school's onward mail server asked us to try later/);
    sink.refuseWith(undefined);
    const retry = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], CLEAN);
    expect(retry.data).toMatch(/^250 /);
    expect(sink.messages).toHaveLength(1);
  });

  it('asks the client to retry when the upstream defers one recipient and takes the other, so no copy is lost', async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    gateway = await startGateway(setup);
    sink.refuseRecipient(ADDRESSES.parent, 451, '4.2.0 mailbox busy, try again later');
    const both = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Trip form', 'Please bring the signed form on Friday.');
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil, ADDRESSES.parent], both);
    expect(replies.data).toMatch(/^451 4\.3\.0 The school's onward mail server took the message for some recipients/);
    expect(replies.data).toContain(`<${ADDRESSES.parent}>`);
    expect(sink.messages.map((m) => m.to)).toEqual([[ADDRESSES.pupil]]);

    // Refused for good instead: a permanent refusal naming who, so the sender's server bounces it for them.
    sink.refuseRecipient(ADDRESSES.parent, 550, '5.1.1 no such mailbox');
    const again = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil, ADDRESSES.parent], both);
    expect(again.data).toMatch(/^550 5\.1\.1 The school's onward mail server refused this message/);
    expect(again.data).toContain(`<${ADDRESSES.parent}>`);
  });

  it('writes each passed message to a dir: upstream as an .eml with its envelope in a .json beside it', async () => {
    setup = createSetup(1);
    setup.writeConfig({ upstream: 'dir:outbox' });
    gateway = await startGateway(setup);
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], CLEAN);
    // A folder is not a mail server: the reply must be true for both kinds of upstream.
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and passed on for delivery \(id [0-9A-Z-]+\)$/);
    const outbox = join(setup.dir, 'outbox');
    const files = readdirSync(outbox).sort();
    expect(files).toHaveLength(2);
    const [eml, json] = [files.find((f) => f.endsWith('.eml'))!, files.find((f) => f.endsWith('.json'))!];
    expect(eml.replace(/\.eml$/, '')).toBe(json.replace(/\.json$/, ''));
    expect(readFileSync(join(outbox, eml), 'latin1')).toContain(CLEAN);
    expect(JSON.parse(readFileSync(join(outbox, json), 'utf8'))).toMatchObject({
      from: ADDRESSES.staff,
      to: [ADDRESSES.pupil],
    });
  });
});
