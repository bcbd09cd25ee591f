import { Kysely, PGliteDialect } from 'kysely';
import { processLeases } from '../leases/leases.ts';
import { migrateToLatest } from '../migrations/migrate.ts';
import type { EventStoreSchema } from '../schema.ts';
import { type SqlEventStoreOptions, type SqlStorage, sqlStorage } from '../sql/create-sql-event-store.ts';
import type { EmbeddedDatabase } from './pglite-thread.ts';

/** Options for {@link pgliteStorage}. */
export interface PGliteStoreOptions extends SqlEventStoreOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/**
 * The storage on an open PGlite (in this thread, or its own), which it then owns: closing the store
 * closes it and calls `release`, and so does a failure to migrate.
 */
export async function pgliteStorage(
  pglite: EmbeddedDatabase,
  options: PGliteStoreOptions = {},
  release: () => void = () => {},
): Promise<SqlStorage> {
  try {
    const db = new Kysely<EventStoreSchema>({ dialect: new PGliteDialect({ pglite }) });
    if (options.migrate ?? true) await migrateToLatest(db, options.extraMigrations);
    return sqlStorage(
      {
        kind: 'pglite',
        db,
        leases: processLeases(),
        listen: async (onNotify) => {
          const unlisten = await pglite.listen('events', onNotify);
          return () => unlisten();
        },
        close: async () => {
          await db.destroy();
          if (!pglite.closed) await pglite.close();
          release();
        },
      },
      options,
    );
  } catch (error) {
    if (!pglite.closed) await pglite.close();
    release();
    throw error;
  }
}
