import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/migrations/migrate.ts';
import { createPostgresStorage } from '../../src/postgres/create-postgres-storage.ts';
import type { SqlStorage } from '../../src/sql/create-sql-event-store.ts';
import { createPostgresTestDatabase, type PostgresTestDatabase, postgresServer } from '../../src/testing/index.ts';

const server = await postgresServer();
const skipReason = server.adminUrl === null ? server.reason : null;

describe.skipIf(skipReason !== null)(
  skipReason === null ? 'createPostgresStorage' : `createPostgresStorage SKIPPED: ${skipReason}`,
  () => {
    let database: PostgresTestDatabase;
    let storage: SqlStorage;

    beforeAll(async () => {
      database = (await createPostgresTestDatabase())!;
      storage = await createPostgresStorage({ connectionString: database.url, migrate: false, poolSize: 2 });
    });
    afterAll(async () => {
      await storage?.close();
      await database?.drop();
    });

    it('is not ready until migrations are applied, and applying them twice changes nothing', async () => {
      expect(await storage.store.isReady()).toBe(false);
      await migrateToLatest(storage.db);
      await migrateToLatest(storage.db);
      expect(await storage.store.isReady()).toBe(true);
    });

    it('limits how long a session may sit idle inside a transaction', async () => {
      const { rows } = await sql<{ timeout: string }>`
        select current_setting('idle_in_transaction_session_timeout') as timeout`.execute(storage.db);
      expect(rows[0]?.timeout).toBe('1min');
    });

    it('reads int8 as bigint in its own pool without changing pg defaults', async () => {
      const { rows } = await sql<{ n: bigint }>`select 9007199254740993::int8 as n`.execute(storage.db);
      expect(rows[0]?.n).toBe(9007199254740993n);
      expect(pg.types.getTypeParser(20)('5')).toBe('5');
    });

    it('reports not ready, rather than failing, when the database does not answer', async () => {
      const unreachable = await createPostgresStorage({
        connectionString: 'postgres://postgres@127.0.0.1:1/none',
        migrate: false,
      });
      expect(await unreachable.store.isReady()).toBe(false);
      await unreachable.close();
    });

    it('prepares a statement on its connection once it has run twice, and runs it the same way after', async () => {
      const prepared = await storage.db.connection().execute(async (connection) => {
        const seven = (n: number) => sql<{ n: number }>`select ${n}::integer + 7 as n`.execute(connection);
        const answers = [];
        for (const n of [1, 2, 3]) answers.push((await seven(n)).rows[0]?.n);
        expect(answers).toEqual([8, 9, 10]);
        return (await preparedOn(connection)).filter((statement) => statement.includes('+ 7'));
      });
      expect(prepared).toHaveLength(1);
    });

    it('prepares a statement afresh when a migration changed the columns it returns', async () => {
      const rows = await storage.db.connection().execute(async (connection) => {
        await sql`create table pupils_seen (id integer)`.execute(connection);
        await sql`insert into pupils_seen values (1)`.execute(connection);
        const everything = () => sql`select * from pupils_seen where id = ${1}`.execute(connection);
        for (let run = 0; run < 3; run++) await everything();
        await sql`alter table pupils_seen add column seen_on date`.execute(connection);
        return (await everything()).rows;
      });
      expect(rows).toEqual([{ id: 1, seen_on: null }]);
    });

    it('prepares nothing when told not to, for poolers in transaction mode', async () => {
      const unprepared = await createPostgresStorage({
        connectionString: database.url,
        migrate: false,
        poolSize: 1,
        preparedStatements: false,
      });
      try {
        for (const n of [1, 2, 3]) await sql`select ${n}::integer + 8`.execute(unprepared.db);
        expect(await preparedOn(unprepared.db)).toEqual([]);
      } finally {
        await unprepared.close();
      }
    });
  },
);

async function preparedOn(db: Kysely<object>): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db);
  return rows.map((row) => row.statement);
}
