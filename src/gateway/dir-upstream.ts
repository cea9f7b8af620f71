// Delivers accepted mail to a folder, for trying Chaperone out without a mail server: one .eml per message with the
// envelope beside it in a .json sidecar. Each file appears whole or not at all (write, fsync, rename, fsync the folder).
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeliveryResult, Upstream, UpstreamEnvelope } from './upstream.js';

export interface OutboxEnvelope {
  from: string;
  to: string[];
  deliveredAt: string;
  size: number;
}

async function writeDurably(folder: string, name: string, content: Buffer | string): Promise<void> {
  const final = join(folder, name);
  const temporary = join(folder, `.${name}.tmp`);
  const handle = await open(temporary, 'wx', 0o640);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, final);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Time first so a listing sorts in delivery order; the random part keeps two messages in one millisecond apart. */
function outboxName(now: Date): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
}

export function createDirUpstream(folder: string): Upstream {
  let ready: Promise<unknown> | undefined;
  return {
    async deliver(envelope: UpstreamEnvelope, raw: Buffer): Promise<DeliveryResult> {
      try {
        ready ??= mkdir(folder, { recursive: true, mode: 0o750 });
        await ready;
        const now = new Date();
        const name = outboxName(now);
        const sidecar: OutboxEnvelope = {
          from: envelope.from,
          to: envelope.to,
          deliveredAt: now.toISOString(),
          size: raw.length,
        };
        // The sidecar first: whoever picks up an .eml can rely on its envelope being there.
        await writeDurably(folder, `${name}.json`, `${JSON.stringify(sidecar, null, 2)}\n`);
        await writeDurably(folder, `${name}.eml`, raw);
        await syncFolder(folder);
        return { ok: true, response: `written to ${join(folder, `${name}.eml`)}` };
      } catch (error) {
        ready = undefined;
        const code = (error as NodeJS.ErrnoException).code ?? '';
        return {
          ok: false,
          permanent: false,
          response: `cannot write to the outbox folder ${folder}: ${code} ${(error as Error).message}`.trim(),
        };
      }
    },
    async close(): Promise<void> {},
  };
}
