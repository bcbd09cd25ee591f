import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { processLeases } from '../leases/leases.ts';
import { migrateToLatest } from '../migrations/migrate.ts';
import type { EventStoreSchema } from '../schema.ts';
import { type SqlEventStoreOptions, type SqlStorage, sqlStorage } from '../sql/create-sql-event-store.ts';

const INT8 = 20;
const XID8 = 5069;
const toBigInt = (text: string): bigint => BigInt(text);

/** PGlite parsers that return int8 and xid8 as bigint, as the PostgreSQL adapter does. */
export const PGLITE_PARSERS = { [INT8]: toBigInt, [XID8]: toBigInt };

/** Options for {@link pgliteStorage}. */
export interface PGliteStoreOptions extends SqlEventStoreOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/**
 * The storage on an open PGlite, which it then owns: closing the store closes it and calls
 * `release`, and so does a failure to migrate.
 */
export async function pgliteStorage(
  pglite: PGlite,
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
