// Child process for the multi-process race test: waits for a shared start time, then tries to release every id.
// Prints one line per id: `won ID`, `lost ID` (StateConflictError) or `error ID message`.
import { StateConflictError } from '../../../src/gateway/hold-store.js';
import { openStore } from '../../../src/gateway/open-store.js';

const [storage, ids, actor, startAt] = process.argv.slice(2);
if (storage === undefined || ids === undefined || actor === undefined || startAt === undefined) {
  throw new Error('usage: decide-race.ts STORAGE ID,ID,... ACTOR START_MS');
}
const store = await openStore(storage);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const lines: string[] = [];
for (const id of ids.split(',')) {
  try {
    await store.decide(id, { state: 'released', actor, at: new Date() });
    lines.push(`won ${id}`);
  } catch (error) {
    lines.push(error instanceof StateConflictError ? `lost ${id}` : `error ${id} ${String(error)}`);
  }
}
await store.close();
process.stdout.write(`${lines.join('\n')}\n`);
