import { join } from 'node:path';
import { createPGliteStorage, createPostgresStorage, type SqlStorage } from '@small-steps/event-store';
import { readModelMigrations } from '@small-steps/projections';
import { applicationMigrations } from './commands/idempotency-migrations.ts';

/** Where the service keeps its records. */
export type StorageSettings =
  | { kind: 'postgres'; url: string; poolSize: number; preparedStatements: boolean }
  | { kind: 'pglite'; dataDir: string };

/** Every migration beside the event store's own: the read models', then the application's. */
export const migrations = [...readModelMigrations, applicationMigrations];

/** Opens the event store and the database beside it, with every migration applied. */
export function openStorage(settings: StorageSettings): Promise<SqlStorage> {
  return settings.kind === 'postgres'
    ? createPostgresStorage({
        connectionString: settings.url,
        poolSize: settings.poolSize,
        preparedStatements: settings.preparedStatements,
        extraMigrations: migrations,
      })
    : createPGliteStorage({ dataDir: join(settings.dataDir, 'pglite'), extraMigrations: migrations });
}
