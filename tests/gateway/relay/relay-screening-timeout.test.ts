// A message that takes longer to screen than screening.timeoutSeconds, over real SMTP: it is held for the DSL as
// "screening failed" (never passed upstream), and the relay goes on screening the next message on a new thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/gateway/serve.js';
import {
  ADDRESSES,
  createSetup,
  idFromReply,
  memoryLogger,
  rfc5322,
  sendMessage,
  slowToScreen,
  startGateway,
  startSink,
  type Sink,
  type TestSetup,
} from './harness.js';

describe('relay: screening timeout', () => {
  let sink: Sink;
  let setup: TestSetup;
  let gateway: RunningGateway;
  const log = memoryLogger();

  beforeAll(async () => {
    sink = await startSink();
    setup = createSetup(sink.port, { screening: { timeoutSeconds: 0.05 } });
    gateway = await startGateway(setup, log.logger);
  });

  afterAll(async () => {
    await gateway?.stop();
    await sink?.close();
    setup?.cleanup();
  });

  it('holds a message whose screening takes too long as screening-failed, and screens the next one normally', async () => {
    const slow = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], slowToScreen());
    expect(slow.data).toMatch(/^250 2\.0\.0 Accepted and held for review/);
    const hold = await gateway.store.getHold(idFromReply(slow.data));
    expect(hold?.reason).toBe('screening-failed');
    expect(hold?.verdict.problems.join(' ')).toContain('took longer than 0.05 seconds');
    expect(sink.messages).toHaveLength(0);
    expect(log.lines.some((line) => line.event === 'screening-thread-replaced')).toBe(true);

    const clean = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Homework', 'Please read chapter 4 for Monday.');
    const next = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], clean);
    expect(next.data).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.raw.toString('utf8')).toMatch(/X-Chaperone-Verdict: pass/);
  });
});
