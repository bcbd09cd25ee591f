import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/event-store.ts';
import { createPostgresStorage } from '../../src/postgres/create-postgres-storage.ts';
import type { SqlStorage } from '../../src/sql/create-sql-event-store.ts';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
  postgresServer,
  sequentialUuids,
  testEvent,
} from '../../src/testing/index.ts';

const server = await postgresServer();
const skipReason = server.adminUrl === null ? server.reason : null;

// A PostgreSQL restart or crash ends every backend the way pg_terminate_backend does: the server
// sends FATAL 57P01 and closes the socket, whether the connection is idle in the pool, running a
// statement, or held between statements. The process must live through it and serve again.
describe.skipIf(skipReason !== null)(
  skipReason === null ? 'losing PostgreSQL backends under load' : `losing backends SKIPPED: ${skipReason}`,
  () => {
    let database: PostgresTestDatabase;
    let storage: SqlStorage;
    let store: EventStore;
    let admin: pg.Client;

    beforeAll(async () => {
      database = (await createPostgresTestDatabase())!;
      storage = await createPostgresStorage({ connectionString: database.url, poolSize: 4 });
      store = storage.store;
      admin = new pg.Client({ connectionString: database.url, application_name: 'small-steps-tests' });
      await admin.connect();
    }, 60_000);
    afterAll(async () => {
      await admin?.end();
      await storage?.close();
      await database?.drop();
    });

    const terminateServiceBackends = async (): Promise<number> => {
      const { rows } = await admin.query<{ ended: boolean }>(
        `select pg_terminate_backend(pid) as ended from pg_stat_activity
          where datname = current_database() and application_name like 'small-steps%'
            and application_name <> 'small-steps-tests'`,
      );
      return rows.length;
    };

    it('keeps running while its connections are terminated mid-load, and appends again afterwards', async () => {
      const nextId = sequentialUuids(7);
      let stopping = false;
      const failures: unknown[] = [];
      let acknowledged = 0;
      const writer = async (n: number) => {
        let version = 0;
        while (!stopping) {
          try {
            const result = await store.append(`loss-${n}`, [testEvent(nextId())], { expectedVersion: version });
            version = result.nextExpectedVersion;
            acknowledged++;
          } catch (error) {
            failures.push(error);
            version = await store.streamVersion(`loss-${n}`).catch(() => version);
          }
        }
      };
      // A listener is a connection too: it must be lost and found again like the pool's.
      const waiting = store.waitForEvents(50);
      const writers = Array.from({ length: 16 }, (_, n) => writer(n));
      let terminated = 0;
      for (let round = 0; round < 5; round++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        terminated += await terminateServiceBackends();
      }
      await waiting;
      stopping = true;
      await Promise.all(writers);

      expect(terminated).toBeGreaterThan(0);
      expect(failures.length).toBeGreaterThan(0);
      const after = await store.append('loss-after', [testEvent(nextId())], { expectedVersion: 'no_stream' });
      expect(after.nextExpectedVersion).toBe(1);
      expect(await store.isReady()).toBe(true);
      let stored = 0;
      for (let n = 0; n < 16; n++) stored += await store.streamVersion(`loss-${n}`);
      expect(stored).toBeGreaterThanOrEqual(acknowledged);
    }, 60_000);
  },
);
