// Child process for the durability test: opens the store, holds one message, reports the id, then kills itself
// with SIGKILL so nothing gets a chance to flush or close cleanly.
import { openStore } from '../../../src/gateway/open-store.js';
import { makeHold } from './fixtures.js';

const storage = process.argv[2];
if (storage === undefined) throw new Error('usage: write-then-die.ts STORAGE');
const store = await openStore(storage);
const hold = makeHold({ subject: 'Written just before a crash' });
await store.putHold(hold);
process.stdout.write(`${hold.id}\n`, () => process.kill(process.pid, 'SIGKILL'));
