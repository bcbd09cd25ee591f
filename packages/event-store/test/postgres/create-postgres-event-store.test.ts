import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/event-store.ts';
import { migrateToLatest } from '../../src/migrations/migrate.ts';
import { createPostgresEventStore } from '../../src/postgres/create-postgres-event-store.ts';
import { createPostgresTestDatabase, type PostgresTestDatabase, postgresServer } from '../../src/testing/index.ts';

const server = await postgresServer();
const skipReason = server.adminUrl === null ? server.reason : null;

describe.skipIf(skipReason !== null)(
  skipReason === null ? 'createPostgresEventStore' : `createPostgresEventStore SKIPPED: ${skipReason}`,
  () => {
    let database: PostgresTestDatabase;
    let store: EventStore;

    beforeAll(async () => {
      database = (await createPostgresTestDatabase())!;
      store = await createPostgresEventStore({ connectionString: database.url, migrate: false, poolSize: 2 });
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it('is not ready until migrations are applied, and applying them twice changes nothing', async () => {
      expect(await store.isReady()).toBe(false);
      await migrateToLatest(store.db);
      await migrateToLatest(store.db);
      expect(await store.isReady()).toBe(true);
    });

    it('limits how long a session may sit idle inside a transaction', async () => {
      const { rows } = await sql<{ timeout: string }>`
        select current_setting('idle_in_transaction_session_timeout') as timeout`.execute(store.db);
      expect(rows[0]?.timeout).toBe('1min');
    });

    it('reads int8 as bigint in its own pool without changing pg defaults', async () => {
      const { rows } = await sql<{ n: bigint }>`select 9007199254740993::int8 as n`.execute(store.db);
      expect(rows[0]?.n).toBe(9007199254740993n);
      expect(pg.types.getTypeParser(20)('5')).toBe('5');
    });

    it('reports not ready, rather than failing, when the database does not answer', async () => {
      const unreachable = await createPostgresEventStore({
        connectionString: 'postgres://postgres@127.0.0.1:1/none',
        migrate: false,
      });
      expect(await unreachable.isReady()).toBe(false);
      await unreachable.close();
    });
  },
);
