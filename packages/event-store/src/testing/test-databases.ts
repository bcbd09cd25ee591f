import type { EventStore } from '../event-store.ts';
import { createPGliteTestStore } from '../pglite/pglite-template.ts';
import { createPostgresEventStore } from '../postgres/create-postgres-event-store.ts';
import type { SqlEventStoreOptions } from '../sql/create-sql-event-store.ts';
import { postgresServer } from './postgres-server.ts';
import { createPostgresTestDatabase } from './postgres-test-database.ts';

/** A store opened for a test file. */
export interface TestStore {
  store: EventStore;
  /** Set for PostgreSQL: the test database, for raw connections. */
  connectionString?: string;
  /** Closes the store and drops its database. */
  dispose(): Promise<void>;
}

/** Options for {@link TestStoreFactory.create}. */
export interface TestStoreOptions extends SqlEventStoreOptions {
  /** PostgreSQL only: the pool size (default 10). */
  poolSize?: number;
}

/** One database a contract suite runs against. */
export interface TestStoreFactory {
  name: 'pglite' | 'postgres';
  /** Why this database's tests are skipped, or null when they run. */
  skipReason: string | null;
  create(options?: TestStoreOptions): Promise<TestStore>;
}

/**
 * The databases to run a suite against: PGlite in memory always, unpacked from a cached migrated
 * template; PostgreSQL from `TEST_DATABASE_URL`/`DATABASE_URL` or testcontainers. Each `create`
 * gives a fresh database. PostgreSQL is marked skipped, with the reason, when neither is there.
 */
export async function testDatabases(): Promise<TestStoreFactory[]> {
  const server = await postgresServer();
  return [
    {
      name: 'pglite',
      skipReason: null,
      async create(options = {}) {
        const store = await createPGliteTestStore(options);
        return { store, dispose: () => store.close() };
      },
    },
    {
      name: 'postgres',
      skipReason: server.adminUrl === null ? server.reason : null,
      async create(options = {}) {
        const database = await createPostgresTestDatabase();
        if (database === null) throw new Error('No PostgreSQL server for tests.');
        const store = await createPostgresEventStore({ ...options, connectionString: database.url }).catch(
          async (error: unknown) => {
            await database.drop();
            throw error;
          },
        );
        return {
          store,
          connectionString: database.url,
          async dispose() {
            await store.close();
            await database.drop();
          },
        };
      },
    },
  ];
}
