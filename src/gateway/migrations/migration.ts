// One step of the store's schema. Steps are applied in order, each once, and recorded in schema_version.
export interface Migration {
  /** 1, 2, 3, ...: never renumber or edit a shipped step; add a new one. */
  version: number;
  /** What the step does, recorded beside its version. */
  name: string;
  /** Statements run in one transaction with the version row. */
  sql: string;
}

/** Checks a list is numbered 1..n without gaps, so a mistake in a new step fails at start-up, not half-way. */
export function checkMigrations(list: readonly Migration[], dialect: string): void {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `${dialect} migration '${migration.name}' is numbered ${migration.version}, expected ${index + 1}`,
      );
    }
  });
}

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `the database schema is at version ${found} but this Chaperone knows only up to version ${known}: ` +
        'it was upgraded by a newer Chaperone; run that version (or restore a backup taken before the upgrade)',
    );
    this.name = 'SchemaTooNewError';
  }
}
