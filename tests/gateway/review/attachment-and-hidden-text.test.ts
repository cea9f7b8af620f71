// Text the classifier screened outside the visible body (a .txt attachment, text hidden by its style) is shown on the
// message page with its findings marked, so the DSL sees why a message with an innocent body was held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, parseMime, type CompiledRules } from '../../../src/classifier/index.js';
import { loadConfig } from '../../../src/config/load.js';
import { loadRules } from '../../../src/config/load-rules.js';
import type { Config } from '../../../src/config/schema.js';
import { addUser, get, makeHold, signIn, startHarness, type Harness, type SignedIn } from './fixtures.js';

describe('the message page for a message held for its attachments or hidden text', () => {
  let h: Harness;
  let dsl: SignedIn;
  let config: Config;
  let rules: CompiledRules;

  beforeAll(async () => {
    config = (await loadConfig('config/default.yaml')).config;
    rules = await loadRules(config);
    h = await startHarness();
    await addUser(h.store, 'dsl@oakfield.sch.uk', ['dsl']);
    dsl = await signIn(h.app, 'dsl@oakfield.sch.uk');
  });
  afterAll(async () => h.close());

  /** The verdict the relay would store for this message to a pupil. */
  async function screenAsPupil(raw: Buffer) {
    return classify(await parseMime(raw), rules, {
      recipientClass: 'pupil',
      organisation: config.organisation,
      thresholds: config.thresholds,
    });
  }

  it("shows each attachment's text under its name with the finding marked, as screened", async () => {
    const hold = await makeHold({
      text: 'Please see the attached reading list.',
      flags: [],
      attachments: [
        {
          filename: 'reading-list.txt',
          content: 'Text me on 07700 900123 if you get stuck.',
        },
      ],
    });
    const verdict = await screenAsPupil(hold.raw);
    expect(verdict.action).toBe('hold');
    await h.store.putHold({ ...hold, verdict });
    const index = verdict.findings.findIndex((f) => f.part === 'attachment' && f.text === '07700 900123');
    expect(index).toBeGreaterThanOrEqual(0);
    const body = (await get(h.app, dsl, `/holds/${hold.id}`)).body;
    expect(body).toContain('Opened from the message: reading-list.txt');
    expect(body).toMatch(
      new RegExp(`<mark class="finding sev-\\w+" id="finding-${index + 1}"[^>]*>07700 900123</mark>`),
    );
    expect(body).toContain('in the attachment');
  });

  it('shows text hidden from the recipient that holds a finding, marked, and leaves it out of the formatted view', async () => {
    const htmlBody = '<p>See you on Monday.</p><div style="display:none">Text me: <b>07700</b> 900123</div>';
    const hold = await makeHold({ text: 'See you on Monday.', html: htmlBody, flags: [] });
    const verdict = await screenAsPupil(hold.raw);
    expect(verdict.action).toBe('hold');
    await h.store.putHold({ ...hold, verdict });
    const index = verdict.findings.findIndex((f) => f.part === 'hidden' && f.text === '07700</b> 900123');
    expect(index).toBeGreaterThanOrEqual(0);
    const body = (await get(h.app, dsl, `/holds/${hold.id}`)).body;
    expect(body).toContain('Hidden in the message, or describing a picture');
    expect(body).toMatch(
      new RegExp(`<mark class="finding sev-\\w+" id="finding-${index + 1}"[^>]*>07700 900123</mark>`),
    );
    expect(body).toContain('in the hidden text or picture description');
  });
});
