import { join } from 'node:path';
import { createPGliteEventStore, createPostgresEventStore, type EventStore } from '@small-steps/event-store';
import { readModelMigrations } from '@small-steps/projections';
import type { Config } from './config.ts';
import { apiMigrations } from './migrations/api-migrations.ts';

/** Opens the event store the configuration names, with the read models' migrations applied. */
export async function openStore(database: Config['database']): Promise<EventStore> {
  const extraMigrations = [...readModelMigrations, apiMigrations];
  return database.kind === 'postgres'
    ? createPostgresEventStore({
        connectionString: database.url,
        poolSize: database.poolSize,
        preparedStatements: database.preparedStatements,
        extraMigrations,
      })
    : createPGliteEventStore({ dataDir: join(database.dataDir, 'pglite'), extraMigrations });
}
