import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import type { EventStore } from '../event-store.ts';
import { migrateToLatest } from '../migrations/migrate.ts';
import type { EventStoreSchema } from '../schema.ts';
import { createSqlEventStore, type SqlEventStoreOptions } from '../sql/create-sql-event-store.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';

/** Options for {@link createPGliteEventStore}. */
export interface PGliteEventStoreOptions extends SqlEventStoreOptions {
  /** The data folder (default `./.data/pglite`), or `'memory'` for a database that lives in the process. */
  dataDir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export const DEFAULT_PGLITE_DATA_DIR = './.data/pglite';

const INT8 = 20;
const XID8 = 5069;
const toBigInt = (text: string): bigint => BigInt(text);

/**
 * The event store embedded in the process on PGlite (PostgreSQL in WASM), for one machine and
 * evaluation. A lock file refuses a second process on the same data folder.
 */
export async function createPGliteEventStore(options: PGliteEventStoreOptions = {}): Promise<EventStore> {
  const { dataDir = DEFAULT_PGLITE_DATA_DIR, migrate = true } = options;
  const lock: DataDirLock | null = dataDir === 'memory' ? null : lockDataDir(dataDir);
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create(lock?.dataDir, { parsers: { [INT8]: toBigInt, [XID8]: toBigInt } });
    const db = new Kysely<EventStoreSchema>({ dialect: new PGliteDialect({ pglite }) });
    if (migrate) await migrateToLatest(db, options.extraMigrations);
    const opened = pglite;
    return createSqlEventStore(
      {
        kind: 'pglite',
        db,
        listen: async (onNotify) => {
          const unlisten = await opened.listen('events', onNotify);
          return () => unlisten();
        },
        close: async () => {
          await db.destroy();
          if (!opened.closed) await opened.close();
          lock?.release();
        },
      },
      options,
    );
  } catch (error) {
    if (pglite !== undefined && !pglite.closed) await pglite.close();
    lock?.release();
    throw error;
  }
}
