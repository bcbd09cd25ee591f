import type { Kysely } from 'kysely';
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
  const pending: PendingMigration[] = [];
  for (const set of [STORE_SET, ...extra]) {
    for (const info of await migratorFor(db, set).getMigrations()) {
      if (info.executedAt === undefined) pending.push({ set: set.name, name: info.name });
    }
  }
  return pending;
}

function migratorFor<DB>(db: Kysely<DB>, set: MigrationSet): Migrator {
  if (!/^[a-z][a-z0-9_]*$/.test(set.name)) {
    throw new Error(`Migration set name "${set.name}" must be lower snake case: it names a table.`);
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => set.migrations },
    migrationTableName: `${set.name}_migrations`,
    migrationLockTableName: `${set.name}_migrations_lock`,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
