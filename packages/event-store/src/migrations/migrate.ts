import { type Kysely, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import { eventStoreMigrations } from './event-store-migrations.ts';

/**
 * A named set of migrations from another package (projections, api). Each set keeps its own
 * migration table, `<name>_migrations`, so packages never reorder each other's history.
 */
export interface MigrationSet {
  name: string;
  migrations: Record<string, Migration>;
}

/** A migration that is not applied yet. */
export interface PendingMigration {
  set: string;
  name: string;
}

const STORE_SET: MigrationSet = { name: 'event_store', migrations: eventStoreMigrations };

/**
 * Applies the event store's migrations, then each extra set in the order given.
 * Throws the first failure, naming the set and migration.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, extra: readonly MigrationSet[] = []): Promise<void> {
  // Every start migrates, and nearly always finds nothing to do: two reads say so, where Kysely's
  // Migrator introspects the catalogue and takes a lock per set (about a second on PGlite).
  if ((await pendingMigrations(db, extra)).length === 0) return;
  for (const set of [STORE_SET, ...extra]) {
    const { error, results } = await migratorFor(db, set).migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`Migration ${set.name}/${failed} failed: ${messageOf(error)}`, { cause: error });
    }
  }
}

/** Migrations of the store and of the extra sets that are not applied yet. */
export async function pendingMigrations<DB>(
  db: Kysely<DB>,
  extra: readonly MigrationSet[] = [],
): Promise<PendingMigration[]> {
  const sets = [STORE_SET, ...extra];
  const applied = await appliedMigrations(
    db,
    sets.map((set) => tableOf(set)),
  );
  return sets.flatMap((set) =>
    Object.keys(set.migrations)
      .sort()
      .filter((name) => !applied.has(`${tableOf(set)}/${name}`))
      .map((name) => ({ set: set.name, name })),
  );
}

// `<table>/<migration>` of every migration recorded in those of the tables that exist.
async function appliedMigrations<DB>(db: Kysely<DB>, tables: string[]): Promise<Set<string>> {
  const existing = await sql<{ name: string }>`
    select c.relname as name from pg_catalog.pg_class c
    where c.relname = any(${tables}::text[]) and c.relkind = 'r' and pg_catalog.pg_table_is_visible(c.oid)`.execute(db);
  if (existing.rows.length === 0) return new Set();
  const reads = existing.rows.map(({ name }) => sql`select ${name}::text as tbl, name from ${sql.table(name)}`);
  const recorded = await sql<{ tbl: string; name: string }>`${sql.join(reads, sql` union all `)}`.execute(db);
  return new Set(recorded.rows.map((row) => `${row.tbl}/${row.name}`));
}

const tableOf = (set: MigrationSet): string => {
  if (!/^[a-z][a-z0-9_]*$/.test(set.name)) {
    throw new Error(`Migration set name "${set.name}" must be lower snake case: it names a table.`);
  }
  return `${set.name}_migrations`;
};

function migratorFor<DB>(db: Kysely<DB>, set: MigrationSet): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => set.migrations },
    migrationTableName: tableOf(set),
    migrationLockTableName: `${set.name}_migrations_lock`,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
