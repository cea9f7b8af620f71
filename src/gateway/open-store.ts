// Opens the hold store named by the `storage` setting and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { HoldStore } from './hold-store.js';
import { SchemaTooNewError } from './migrations/migration.js';

export class StorageSettingError extends Error {
  constructor(storage: string, problem: string) {
    super(
      `storage: '${redact(storage)}' ${problem}. ` +
        "Use 'sqlite:PATH' (e.g. sqlite:./data/chaperone.db) or 'postgres://USER:PASSWORD@HOST:PORT/DATABASE'.",
    );
    this.name = 'StorageSettingError';
  }
}

/** The store named by the setting exists in principle but could not be opened (server down, file not writable). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Hides the password of a PostgreSQL URL, so it never reaches a log or a terminal. */
export function redact(storage: string): string {
  return storage.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1****@');
}

/** `sqlite:PATH` (relative to the working folder; the folder is created) or `postgres://...` / `postgresql://...`. */
export async function openStore(storage: string): Promise<HoldStore> {
  const value = storage.trim();
  let create: () => Promise<HoldStore>;
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    if (path === '') throw new StorageSettingError(storage, 'names no file after sqlite:');
    if (path === ':memory:') {
      throw new StorageSettingError(storage, 'is in memory, so held mail would be lost on restart');
    }
    const file = resolve(path);
    create = async () => {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const { SqliteStore } = await import('./sqlite-store.js');
      return new SqliteStore(file);
    };
  } else if (/^postgres(ql)?:\/\//i.test(value)) {
    const { PostgresStore, parsePostgresUrl } = await import('./postgres-store.js');
    const target = parsePostgresUrl(value);
    create = async () => new PostgresStore(target);
  } else {
    throw new StorageSettingError(storage, 'is not a storage Chaperone knows');
  }
  let store: HoldStore | undefined;
  try {
    store = await create();
    await store.init();
    return store;
  } catch (error) {
    await store?.close().catch(() => undefined);
    if (error instanceof SchemaTooNewError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`cannot open the store at ${redact(value)}: ${redact(reason)}`, { cause: error });
  }
}
