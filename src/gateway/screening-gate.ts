// Bounds how much mail is being screened at once, by size. Parsing MIME takes several times a message's size in
// memory while it runs, so twenty 25 MB messages screened together would need gigabytes; through the gate they wait
// their turn instead. Small messages (nearly all school mail) never wait for each other.

/**
 * Raw bytes screened at once. Measured: twenty concurrent 23 MB messages peaked at 2.4 GB RSS without a gate. A
 * message bigger than the whole budget is screened alone.
 */
export const MAX_SCREENING_BYTES = 32 * 1024 * 1024;

export interface ScreeningGate {
  /** Runs `work` once `bytes` fit in the budget alongside what is already running (FIFO, so nothing starves). */
  run<T>(bytes: number, work: () => Promise<T>): Promise<T>;
}

export function createScreeningGate(budget = MAX_SCREENING_BYTES): ScreeningGate {
  let inUse = 0;
  const waiting: { bytes: number; start: () => void }[] = [];

  function admit(): void {
    while (waiting.length > 0) {
      const next = waiting[0]!;
      const cost = Math.min(next.bytes, budget);
      if (inUse > 0 && inUse + cost > budget) return;
      waiting.shift();
      inUse += cost;
      next.start();
    }
  }

  return {
    async run<T>(bytes: number, work: () => Promise<T>): Promise<T> {
      const cost = Math.min(bytes, budget);
      await new Promise<void>((resolve) => {
        waiting.push({ bytes, start: resolve });
        admit();
      });
      try {
        return await work();
      } finally {
        inUse -= cost;
        admit();
      }
    },
  };
}
