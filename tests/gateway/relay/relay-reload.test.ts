// Reloads while running: a changed directory CSV or config applies to the next message without a restart, and a
// broken config or rule file keeps the last good set (the rules are compiled again on the screening thread).
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunningGateway } from '../../../src/gateway/serve.js';
import {
  ADDRESSES,
  TEST_RULES,
  createSetup,
  memoryLogger,
  rfc5322,
  sendMessage,
  startGateway,
  startSink,
  waitFor,
  type Sink,
  type TestSetup,
} from './harness.js';

describe('relay: reload on file changes', () => {
  let sink: Sink | undefined;
  let setup: TestSetup | undefined;
  let gateway: RunningGateway | undefined;

  afterEach(async () => {
    await gateway?.stop();
    await sink?.close();
    setup?.cleanup();
  });

  it('classes a pupil added to the MIS export as a pupil once the file changes', async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    gateway = await startGateway(setup, undefined, true);
    const newPupil = 'new.starter@gmail.com';
    expect(gateway.current().relay.directory.classify(newPupil).class).toBe('external');

    appendFileSync(join(setup.dir, 'pupils.csv'), `${newPupil},New,Starter,7\n`);
    await waitFor(() => gateway!.current().relay.directory.classify(newPupil).class === 'pupil');
    const message = rfc5322('j.morgan@oakfield.sch.uk', newPupil, 'Welcome', 'Ring me on 07700 900123.');
    const replies = await sendMessage(gateway.smtp.port, 'j.morgan@oakfield.sch.uk', [newPupil], message);
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and held/);
  });

  it('keeps the last good policy when the edited config is broken, and applies the fixed one', async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    const log = memoryLogger();
    gateway = await startGateway(setup, log.logger, true);

    writeFileSync(setup.configFile, 'policy:\n  pupil: { mode: sometimes }\n');
    await waitFor(() => log.lines.some((l) => l.event === 'reload-failed'));
    expect(String(log.lines.find((l) => l.event === 'reload-failed')!.error)).toMatch(/policy\.pupil\.mode/);
    expect(gateway.current().config.policy.pupil.mode).toBe('screen');

    setup.writeConfig({ policy: { pupil: { mode: 'monitor' } } });
    await waitFor(() => gateway!.current().config.policy.pupil.mode === 'monitor');
    const message = rfc5322(
      'j.morgan@oakfield.sch.uk',
      'amelia.hart@pupils.oakfield.sch.uk',
      'Hi',
      'Ring me on 07700 900123.',
    );
    const replies = await sendMessage(
      gateway.smtp.port,
      'j.morgan@oakfield.sch.uk',
      ['amelia.hart@pupils.oakfield.sch.uk'],
      message,
    );
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages[0]!.raw.toString()).toMatch(
      /^X-Chaperone-Verdict: tag; score=10; categories=contact-details\r\n/,
    );
  });

  it('keeps screening with the last good rules when a rule file breaks, and screens with the fixed ones', async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    const log = memoryLogger();
    gateway = await startGateway(setup, log.logger, true);
    const send = async (body: string) => {
      const message = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Hi', body);
      return (await sendMessage(gateway!.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message)).data;
    };
    const rulesFile = join(setup.dir, 'rules', 'test.yaml');
    const withHugs = {
      ...TEST_RULES,
      rules: [
        ...TEST_RULES.rules,
        {
          ...TEST_RULES.rules[2],
          id: 'test-hugs',
          words: ['big hugs'],
          examples: { flag: ['big hugs'], pass: ['hugs'] },
        },
      ],
    };

    writeFileSync(rulesFile, stringify({ ...withHugs, rules: [{ ...withHugs.rules[3], pattern: '(unclosed' }] }));
    await waitFor(() => log.lines.some((l) => l.event === 'reload-failed'));
    expect(String(log.lines.find((l) => l.event === 'reload-failed')!.error)).toMatch(/test\.yaml:\d+:\d+:/);
    expect(await send('this is our little secret')).toMatch(/^250 2\.0\.0 Accepted and held/);

    writeFileSync(rulesFile, stringify(withHugs));
    await waitFor(() => gateway!.current().ruleCount === 4);
    expect(await send('see you soon, big hugs')).toMatch(/^250 2\.0\.0 Accepted and passed on/);
    expect(sink.messages.at(-1)!.raw.toString()).toMatch(
      /^X-Chaperone-Verdict: tag; score=2; categories=suggestive\r\n/,
    );
  });
});
