export {
  appendLeaves,
  consistencyProof,
  consistencyProofNodes,
  EMPTY_TREE_HASH,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  MemoryMerkleTree,
  type MerkleNode,
  type NodeSource,
  nodeHash,
  perfectSubtrees,
  type SubtreeId,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from './audit/merkle.ts';
export {
  type AuditLeafEvent,
  auditLeaf,
  keyIdOf,
  type SignedStreamHead,
  type SignedTreeHead,
  type StreamHead,
  streamHeadMessage,
  streamHeadProblem,
  type TreeHead,
  type TreeHeadSigner,
  treeHeadMessage,
  treeHeadProblem,
  treeHeadSigner,
} from './audit/tree-head.ts';
export { DatabaseUnreachable, isDatabaseUnavailable } from './errors/database-unavailable.ts';
export { EventIdConflict, isEventIdConflict } from './errors/event-id-conflict.ts';
export { EventStoreUnavailable, isEventStoreUnavailable } from './errors/event-store-unavailable.ts';
export { isStreamVersionConflict, StreamVersionConflict } from './errors/stream-version-conflict.ts';
export type * from './event-store.ts';
export { START_OF_LOG } from './event-store.ts';
export { eventHash, type HashedEvent } from './hash/event-hash.ts';
export type { KurrentDbEventStoreOptions } from './kurrentdb/create-kurrentdb-event-store.ts';
export { openKurrentDbEventStore } from './kurrentdb/open-kurrentdb-event-store.ts';
export type { Leases } from './leases/leases.ts';
export { eventStoreMigrations } from './migrations/event-store-migrations.ts';
export { type MigrationSet, migrateToLatest, type PendingMigration, pendingMigrations } from './migrations/migrate.ts';
export {
  createPGliteStorage,
  DEFAULT_PGLITE_DATA_DIR,
  type PGliteEventStoreOptions,
} from './pglite/create-pglite-storage.ts';
export { DataDirInUse } from './pglite/data-dir-lock.ts';
export { dataFolderTemplatePath, writeDataFolderTemplate } from './pglite/data-folder-template.ts';
export { type OpeningFolder, openExistingDataFolder } from './pglite/pglite-folder.ts';
export { type EmbeddedDatabase, PGliteThread } from './pglite/pglite-thread.ts';
export { createPostgresStorage, type PostgresEventStoreOptions } from './postgres/create-postgres-storage.ts';
export type { ReadModelTx } from './read-model-tx.ts';
export type * from './schema.ts';
export type { SqlEventStoreOptions, SqlStorage } from './sql/create-sql-event-store.ts';
export { isLogPosition } from './sql/log-position.ts';
export { countEventsAfter, readCommittedLog } from './sql/read-committed-log.ts';
export { TransactionTx } from './sql/transaction-tx.ts';
