// The screening gate: small messages are screened side by side, big ones take turns, nobody is starved.
import { describe, expect, it } from 'vitest';
import { createScreeningGate } from '../../../src/gateway/screening-gate.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('screening gate', () => {
  it('screens small messages side by side', async () => {
    const gate = createScreeningGate(100);
    let running = 0;
    let most = 0;
    const work = async (): Promise<void> => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 5 }, () => gate.run(10, work)));
    expect(most).toBe(5);
  });

  it('makes big messages take turns, a message bigger than the budget running alone, in arrival order', async () => {
    const gate = createScreeningGate(100);
    const order: string[] = [];
    const first = deferred();
    const a = gate.run(60, async () => {
      order.push('a start');
      await first.promise;
      order.push('a end');
    });
    const b = gate.run(500, async () => {
      order.push('b');
    });
    const c = gate.run(10, async () => {
      order.push('c');
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['a start']);
    first.resolve();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a start', 'a end', 'b', 'c']);
  });

  it('frees its share when the work fails', async () => {
    const gate = createScreeningGate(100);
    await expect(gate.run(100, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(100, async () => 'ok')).resolves.toBe('ok');
  });
});
