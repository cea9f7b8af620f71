// config/default.yaml (what `npm start` runs) loads on a fresh checkout: shipped rules, the sample directory, a policy.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRelaySet } from '../../../src/gateway/relay-set.js';
import { inProcessScreener } from '../../../src/gateway/screener.js';

const DEFAULT_CONFIG = fileURLToPath(new URL('../../../config/default.yaml', import.meta.url));

describe('default configuration', () => {
  it('loads the shipped rules and classes the sample pupils, parents and staff', async () => {
    const set = await loadRelaySet(DEFAULT_CONFIG, inProcessScreener());
    expect(set.ruleCount).toBeGreaterThan(0);
    expect(set.relay.directory.warnings).toEqual([]);
    const { directory } = set.relay;
    expect(directory.classify('amelia.hart@pupils.oakfield.sch.uk').class).toBe('pupil');
    expect(directory.classify('g.okafor@example.com')).toMatchObject({ class: 'parent', name: 'Okafor, Grace' });
    expect(directory.classify('dsl@oakfield.sch.uk').class).toBe('staff');
    expect(set.config.upstream).toMatch(/^dir:.*\/data\/outbox$/);
    expect(set.config.storage).toMatch(/^sqlite:.*\/data\/chaperone\.db$/);
    expect(set.listener.envelope.senderDomains).toEqual(new Set(['oakfield.sch.uk']));
  });
});
