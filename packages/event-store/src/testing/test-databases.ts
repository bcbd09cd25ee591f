import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { EventStore } from '../event-store.ts';
import { type Leases, processLeases } from '../leases/leases.ts';
import { createPGliteStorage } from '../pglite/create-pglite-storage.ts';
import { writeDataFolderTemplate } from '../pglite/data-folder-template.ts';
import { createPGliteTestStorage } from '../pglite/pglite-template.ts';
import { createPostgresStorage } from '../postgres/create-postgres-storage.ts';
import type { EventStoreSchema } from '../schema.ts';
import { createSqlEventStore, type SqlEventStoreOptions, type SqlStorage } from '../sql/create-sql-event-store.ts';
import { postgresServer } from './postgres-server.ts';
import { createPostgresTestDatabase } from './postgres-test-database.ts';

/**
 * Changes to stored events that no append can make, for tests of what the store does with a log
 * that was altered behind its back. Each changes exactly one stored event, or throws.
 */
export interface TamperHooks {
  /** Replaces the stored data of one event, leaving its hash as it was. */
  changeData(streamId: string, version: number, data: Record<string, unknown>): Promise<void>;
  /** Overwrites one event's stored previous hash, so that it no longer links to the event before. */
  relink(streamId: string, version: number): Promise<void>;
  /** Deletes one stored event. */
  remove(streamId: string, version: number): Promise<void>;
}

/** The optional hooks of {@link TestStore}, by name. */
export type TestStoreHook = 'tamper';

/** A store opened for a test file. */
export interface TestStore {
  store: EventStore;
  /** The database beside the log, for read models and for tampering with stored rows. */
  db: Kysely<object>;
  /** The storage's leases (who runs which projection). */
  leases: Leases;
  /** Another store on the same database that shares nothing in memory, as a second process would. */
  another(): EventStore;
  /** Changes stored events behind the store's back (set when the factory lists `tamper` in its hooks). */
  tamper?: TamperHooks;
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
  name: 'pglite' | 'pglite data folder' | 'postgres';
  /** Why this database's tests are skipped, or null when they run. */
  skipReason: string | null;
  /** True when the store has a single connection, so no two of its transactions ever overlap (PGlite). */
  isSingleConnection: boolean;
  /** The optional hooks every store it creates offers: suites skip, by name, the parts that need another. */
  hooks: readonly TestStoreHook[];
  create(options?: TestStoreOptions): Promise<TestStore>;
}

const SQL_HOOKS: readonly TestStoreHook[] = ['tamper'];

const testStore = (
  storage: SqlStorage,
  rest: Pick<TestStore, 'dispose'> & { connectionString?: string },
): TestStore => ({
  store: storage.store,
  db: storage.db,
  leases: storage.leases,
  another: () =>
    createSqlEventStore({
      kind: storage.store.kind,
      db: storage.db.withTables<EventStoreSchema>(),
      listen: async () => async () => {},
      leases: processLeases(),
      close: async () => {},
    }),
  tamper: sqlTamper(storage.db),
  ...rest,
});

function sqlTamper(db: Kysely<object>): TamperHooks {
  const changeOne = async (what: string, streamId: string, version: number, statement: ReturnType<typeof sql>) => {
    const { rows } = await statement.execute(db);
    if (rows.length !== 1) throw new Error(`Could not ${what} event ${version} of ${streamId}: it is not stored.`);
  };
  return {
    changeData: (streamId, version, data) =>
      changeOne(
        'change the data of',
        streamId,
        version,
        sql`update events set data = ${JSON.stringify(data)}::jsonb
          where stream_id = ${streamId} and stream_version = ${version} returning position`,
      ),
    relink: (streamId, version) =>
      changeOne(
        'relink',
        streamId,
        version,
        sql`update events set previous_hash = repeat('0', 64)
          where stream_id = ${streamId} and stream_version = ${version} returning position`,
      ),
    remove: (streamId, version) =>
      changeOne(
        'remove',
        streamId,
        version,
        sql`delete from events where stream_id = ${streamId} and stream_version = ${version} returning position`,
      ),
  };
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
      isSingleConnection: true,
      hooks: SQL_HOOKS,
      async create(options = {}) {
        const storage = await createPGliteTestStorage(options);
        return testStore(storage, { dispose: () => storage.close() });
      },
    },
    {
      name: 'postgres',
      skipReason: server.adminUrl === null ? server.reason : null,
      isSingleConnection: false,
      hooks: SQL_HOOKS,
      async create(options = {}) {
        const database = await createPostgresTestDatabase();
        if (database === null) throw new Error('No PostgreSQL server for tests.');
        const storage = await createPostgresStorage({ ...options, connectionString: database.url }).catch(
          async (error: unknown) => {
            await database.drop();
            throw error;
          },
        );
        return testStore(storage, {
          connectionString: database.url,
          async dispose() {
            await storage.close();
            await database.drop();
          },
        });
      },
    },
  ];
}

/**
 * Stores on PGlite data folders under `root`, each opened in a thread of its own as the service
 * opens its folder: slower to make than {@link testDatabases}' in-memory PGlite (a new folder is a
 * copy of a migrated template, made once), for the suites that check what the service runs on.
 */
export function pgliteDataFolders(root: string): TestStoreFactory {
  const templateDir = join(root, 'template');
  let template: Promise<string> | undefined;
  return {
    name: 'pglite data folder',
    skipReason: null,
    isSingleConnection: true,
    hooks: SQL_HOOKS,
    async create(options = {}) {
      if (options.extraMigrations?.length) throw new Error('pgliteDataFolders makes stores without extra migrations');
      template ??= writeDataFolderTemplate(templateDir, []);
      await template;
      const dataDir = mkdtempSync(join(root, 'store-'));
      const storage = await createPGliteStorage({ ...options, dataDir, templateDir });
      return testStore(storage, {
        async dispose() {
          await storage.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      });
    },
  };
}
