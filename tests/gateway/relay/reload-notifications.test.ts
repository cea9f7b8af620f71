// A reload applies to notifications, retention and the review app's settings too, not only to rules and directory:
// a school that changes its DSL's address has the next hold notified to the new one. Only the settings a running
// server cannot change are named as needing a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { settingsInForce, liveConfig } from '../../../src/gateway/live-config.js';
import { configSchema } from '../../../src/config/schema.js';
import { serve, type RunningGateway } from '../../../src/gateway/serve.js';
import {
  ADDRESSES,
  createSetup,
  memoryLogger,
  rfc5322,
  sendMessage,
  startSink,
  waitFor,
  type Sink,
  type TestSetup,
  idFromReply,
} from './harness.js';

const OLD_DSL = 'old.dsl@oakfield.sch.uk';
const NEW_DSL = 'new.dsl@oakfield.sch.uk';

describe('relay: reloading notification and review settings', () => {
  let sink: Sink | undefined;
  let setup: TestSetup | undefined;
  let gateway: RunningGateway | undefined;

  afterEach(async () => {
    await gateway?.stop();
    await sink?.close();
    setup?.cleanup();
  });

  it('notifies the new DSL address after a reload, with the new review link, and asks a restart only for review.listen', async () => {
    sink = await startSink();
    setup = createSetup(sink.port);
    const settings = (dsl: string, publicUrl: string, listen: string, name = 'Oakfield Test') => ({
      organisation: { name, domains: ['oakfield.sch.uk'], phones: ['01632 960000'] },
      review: { listen, publicUrl },
      notifications: { notifySender: false, dsl: [dsl], from: 'Chaperone <chaperone@oakfield.sch.uk>' },
      retention: { days: 30 },
    });
    setup.writeConfig(settings(OLD_DSL, 'https://old-review.oakfield.sch.uk', '127.0.0.1:0'));
    const log = memoryLogger();
    gateway = await serve({ configFile: setup.configFile, watchFiles: false, logger: log.logger, scheduler: false });

    setup.writeConfig(settings(NEW_DSL, 'https://review.oakfield.sch.uk', '127.0.0.1:1', 'Oakfield Academy Trust'));
    expect(await gateway.reload('test')).toBe(true);
    // The review app reads the reloaded settings too, on the port it started on.
    const login = await fetch(`http://127.0.0.1:${gateway.review!.port}/login`);
    expect(await login.text()).toContain('Oakfield Academy Trust');
    const restart = log.lines.filter((line) => line.event === 'restart-needed');
    expect(restart.map((line) => line.keys)).toEqual([['review.listen']]);
    expect(String(restart[0]!.msg)).toMatch(/^changes to review\.listen apply after a restart/);

    const message = rfc5322(ADDRESSES.staff, ADDRESSES.pupil, 'Half term', 'Ring me on 07700 900123.');
    const replies = await sendMessage(gateway.smtp.port, ADDRESSES.staff, [ADDRESSES.pupil], message);
    expect(replies.data).toMatch(/^250 2\.0\.0 Accepted and held/);
    const id = idFromReply(replies.data);
    await waitFor(() => sink!.messages.length > 0);
    await gateway.stop();
    gateway = undefined;
    expect(sink.messages.map((m) => m.to)).toEqual([[NEW_DSL]]);
    const notice = sink.messages[0]!.raw.toString('utf8').replace(/=\r\n/g, '');
    expect(notice).toContain(`https://review.oakfield.sch.uk/holds/${id}`);
  });
});

describe('settings in force after a reload', () => {
  const started = configSchema.parse({
    storage: 'sqlite:/var/lib/chaperone/chaperone.db',
    review: { listen: '127.0.0.1:8025', secureCookies: true, deputies: ['a@oakfield.sch.uk'] },
    notifications: { dsl: ['old@oakfield.sch.uk'] },
  });
  const reloaded = configSchema.parse({
    storage: 'sqlite:/tmp/elsewhere.db',
    review: { listen: '0.0.0.0:9000', secureCookies: false, deputies: ['b@oakfield.sch.uk'] },
    notifications: { dsl: ['new@oakfield.sch.uk'] },
    retention: { days: 7 },
  });

  it('takes the reloaded notifications, retention and review settings but keeps what needs a restart', () => {
    const inForce = settingsInForce(started, reloaded);
    expect(inForce.notifications.dsl).toEqual(['new@oakfield.sch.uk']);
    expect(inForce.retention.days).toBe(7);
    expect(inForce.review.deputies).toEqual(['b@oakfield.sch.uk']);
    expect(inForce.review.listen).toBe('127.0.0.1:8025');
    expect(inForce.review.secureCookies).toBe(true);
    expect(inForce.storage).toBe('sqlite:/var/lib/chaperone/chaperone.db');
  });

  it('reads through a live view to whichever config is current', () => {
    let current = started;
    const view = liveConfig(() => current);
    const notifications = () => view.notifications.dsl;
    expect(notifications()).toEqual(['old@oakfield.sch.uk']);
    current = reloaded;
    expect(notifications()).toEqual(['new@oakfield.sch.uk']);
    expect(Object.keys(view)).toEqual(Object.keys(reloaded));
    expect({ ...view }.retention).toEqual({ days: 7 });
  });
});
