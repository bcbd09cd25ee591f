export { EventIdConflict, isEventIdConflict } from './errors/event-id-conflict.ts';
export { isStreamVersionConflict, StreamVersionConflict } from './errors/stream-version-conflict.ts';
export type * from './event-store.ts';
export { APPENDED_EVENTS, START_OF_LOG } from './event-store.ts';
export { eventHash, type HashedEvent } from './hash/event-hash.ts';
export { eventStoreMigrations } from './migrations/event-store-migrations.ts';
export { type MigrationSet, migrateToLatest, type PendingMigration, pendingMigrations } from './migrations/migrate.ts';
export {
  createPGliteEventStore,
  DEFAULT_PGLITE_DATA_DIR,
  type PGliteEventStoreOptions,
} from './pglite/create-pglite-event-store.ts';
export { DataDirInUse } from './pglite/data-dir-lock.ts';
export { createPostgresEventStore, type PostgresEventStoreOptions } from './postgres/create-postgres-event-store.ts';
export type * from './schema.ts';
export type { SqlEventStoreOptions } from './sql/create-sql-event-store.ts';
