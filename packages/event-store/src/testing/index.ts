export {
  type ContractTestStore,
  describeEventStoreContract,
  type EventStoreContractFactory,
} from './contract/index.ts';
export { KURRENTDB_TEST_IMAGE, type KurrentDbServer, kurrentDbServer } from './kurrentdb-server.ts';
export { kurrentDbContractFactory } from './kurrentdb-test-stores.ts';
export { type PostgresServer, postgresServer } from './postgres-server.ts';
export { createPostgresTestDatabase, type PostgresTestDatabase, postgresTestUrl } from './postgres-test-database.ts';
export { endOfLog, readUntil } from './read-log.ts';
export {
  pgliteDataFolders,
  type TamperHooks,
  type TestStore,
  type TestStoreFactory,
  type TestStoreHook,
  type TestStoreOptions,
  testDatabases,
} from './test-databases.ts';
export { sequentialUuids, TEST_METADATA, testEvent } from './test-events.ts';
