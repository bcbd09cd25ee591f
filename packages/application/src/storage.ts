import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPGliteStorage,
  createPostgresStorage,
  type OpeningFolder,
  openKurrentDbEventStore,
  type SqlStorage,
} from '@small-steps/event-store';
import { readModelMigrations } from '@small-steps/projections';
import { applicationMigrations } from './commands/idempotency-migrations.ts';

/** Where the log is kept when it is not beside the read models: a KurrentDB server. */
export interface KurrentDbSettings {
  /** `kurrentdb://…` or `kurrentdb+discover://…` (KURRENTDB_URL). */
  url: string;
  /** The first part of every stream name (KURRENTDB_NAMESPACE). */
  namespace: string;
}

/**
 * Where the service keeps its records: PostgreSQL or the embedded PGlite for the read models,
 * idempotency records and checkpoints, and for the log too unless `kurrentdb` is set.
 */
export type StorageSettings = (
  | { kind: 'postgres'; url: string; poolSize: number; preparedStatements: boolean }
  | { kind: 'pglite'; dataDir: string }
) & { kurrentdb?: KurrentDbSettings };

/** Every migration beside the event store's own: the read models', then the application's. */
export const migrations = [...readModelMigrations, applicationMigrations];

/**
 * Where the build leaves the migrated data folder a new embedded data folder starts as
 * (`dist/pglite-template/`, from src and dist alike). Without it (never built) initdb makes the folder.
 */
export const PGLITE_TEMPLATE_DIR = fileURLToPath(new URL('../dist/pglite-template/', import.meta.url));

/** The log's server cannot be reached at start: the service refuses to start, with this one line. */
export class EventStoreUnreachable extends Error {
  override readonly name = 'EventStoreUnreachable';
}

/**
 * Opens the event store and the database beside it, with every migration applied. With
 * `kurrentdb` the log is on that server, which must answer now: a service that starts without its
 * log would only fail later, request by request. `opening` is an embedded data folder the process
 * began opening before it knew its settings (closed when it is not the configured one).
 */
export async function openStorage(
  settings: StorageSettings,
  { opening = null }: { opening?: OpeningFolder | null } = {},
): Promise<SqlStorage> {
  if (settings.kind === 'postgres') await opening?.close();
  const sql =
    settings.kind === 'postgres'
      ? await createPostgresStorage({
          connectionString: settings.url,
          poolSize: settings.poolSize,
          preparedStatements: settings.preparedStatements,
          extraMigrations: migrations,
        })
      : await createPGliteStorage({
          dataDir: join(settings.dataDir, 'pglite'),
          templateDir: PGLITE_TEMPLATE_DIR,
          extraMigrations: migrations,
          opening,
        });
  if (settings.kurrentdb === undefined) return sql;
  const store = await openKurrentDbEventStore({
    connectionString: settings.kurrentdb.url,
    namespace: settings.kurrentdb.namespace,
  });
  if (!(await store.isReady())) {
    await Promise.all([store.close(), sql.close()]);
    throw new EventStoreUnreachable(
      `KurrentDB at ${serverOf(settings.kurrentdb.url)} cannot be reached (KURRENTDB_URL): start it, or check the address and credentials.`,
    );
  }
  return {
    store,
    db: sql.db,
    leases: sql.leases,
    close: async () => {
      await store.close();
      await sql.close();
    },
  };
}

/** The hosts of a connection string, without credentials or options: what a log line may show. */
export function serverOf(url: string): string {
  const hosts = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/?]*)/i.exec(url)?.[1];
  return hosts === undefined || hosts === '' ? 'the address given' : hosts;
}
