export { type PostgresServer, postgresServer } from './postgres-server.ts';
export { createPostgresTestDatabase, type PostgresTestDatabase, postgresTestUrl } from './postgres-test-database.ts';
export { type TestStore, type TestStoreFactory, type TestStoreOptions, testDatabases } from './test-databases.ts';
export { sequentialUuids, TEST_METADATA, testEvent } from './test-events.ts';
