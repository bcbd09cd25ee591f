import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPGliteStorage, createPostgresStorage, type SqlStorage } from '@small-steps/event-store';
import { readModelMigrations } from '@small-steps/projections';
import { applicationMigrations } from './commands/idempotency-migrations.ts';

/** Where the service keeps its records. */
export type StorageSettings =
  | { kind: 'postgres'; url: string; poolSize: number; preparedStatements: boolean }
  | { kind: 'pglite'; dataDir: string };

/** Every migration beside the event store's own: the read models', then the application's. */
export const migrations = [...readModelMigrations, applicationMigrations];

/**
 * Where the build leaves the migrated data folder a new embedded data folder starts as
 * (`dist/pglite-template/`, from src and dist alike). Without it (never built) initdb makes the folder.
 */
export const PGLITE_TEMPLATE_DIR = fileURLToPath(new URL('../dist/pglite-template/', import.meta.url));

/** Opens the event store and the database beside it, with every migration applied. */
export function openStorage(settings: StorageSettings): Promise<SqlStorage> {
  return settings.kind === 'postgres'
    ? createPostgresStorage({
        connectionString: settings.url,
        poolSize: settings.poolSize,
        preparedStatements: settings.preparedStatements,
        extraMigrations: migrations,
      })
    : createPGliteStorage({
        dataDir: join(settings.dataDir, 'pglite'),
        templateDir: PGLITE_TEMPLATE_DIR,
        extraMigrations: migrations,
      });
}
