import { type Kysely, sql } from 'kysely';
import type { EventStore } from '../event-store.ts';
import type { Leases } from '../leases/leases.ts';
import { type MigrationSet, pendingMigrations } from '../migrations/migrate.ts';
import { coalescedNotify } from '../notify/coalesced-notify.ts';
import { createWakeups, type Listen } from '../notify/wakeups.ts';
import type { EventStoreSchema } from '../schema.ts';
import { append } from './append.ts';
import { appendMany } from './append-many.ts';
import { knownHeads } from './known-heads.ts';
import { readAll } from './read-all.ts';
import { countEventsAfter } from './read-committed-log.ts';
import { readStream } from './read-stream.ts';
import { readStreamHeads } from './stream-heads.ts';
import { streamVersion } from './stream-version.ts';
import { verifyStream } from './verify-stream.ts';

/** What an adapter supplies: a database that speaks PostgreSQL, and how to listen and close. */
export interface SqlDriver {
  kind: EventStore['kind'];
  db: Kysely<EventStoreSchema>;
  listen: Listen;
  /** Leases among the processes sharing the database. */
  leases: Leases;
  /** Releases everything the adapter opened, the database last. */
  close(): Promise<void>;
}

/** Options both adapters share. */
export interface SqlEventStoreOptions {
  /** Where `recordedAt` comes from (default: the system clock). */
  clock?: () => Date;
  /** Other packages' migrations, applied after the store's and checked by `isReady()`. */
  extraMigrations?: readonly MigrationSet[];
}

/**
 * An event store and the database it keeps its log in. Read models, idempotency records and
 * projection checkpoints live in the same database, through `db`, so that writes can commit with
 * an append ({@link EventStore.append}'s `inline`) and a runner's checkpoint with its writes.
 */
export interface SqlStorage {
  store: EventStore;
  /** The database beside the log: widen it to a read model's tables with `db.withTables<…>()`. */
  db: Kysely<object>;
  /** Leases among the processes that share this database (who runs which projection). */
  leases: Leases;
  /** Closes the store and the database. */
  close(): Promise<void>;
}

/** The storage on a driver: its store, and its database for everything beside the log. */
export function sqlStorage(driver: SqlDriver, options: SqlEventStoreOptions = {}): SqlStorage {
  const store = createSqlEventStore(driver, options);
  return {
    store,
    db: driver.db as Kysely<object>,
    leases: driver.leases,
    close: async () => {
      await driver.leases.close();
      await store.close();
    },
  };
}

/** The one EventStore implementation; the PostgreSQL and PGlite adapters differ only in their driver. */
export function createSqlEventStore(driver: SqlDriver, options: SqlEventStoreOptions = {}): EventStore {
  const { db } = driver;
  const heads = knownHeads();
  const context = { db, clock: options.clock ?? (() => new Date()), heads };
  const wakeups = createWakeups(driver.listen);
  const notifier = coalescedNotify(async () => {
    // NOTIFY gives its transaction an id, so its commit would wait for a WAL flush of its own;
    // it carries no data, so it commits asynchronously.
    await sql`select set_config('synchronous_commit', 'off', true), pg_notify('events', '')`.execute(db);
  });
  let closing: Promise<void> | null = null;

  return {
    kind: driver.kind,
    async append(streamId, events, appendOptions) {
      const result = await append(context, streamId, events, appendOptions);
      if (!result.wasRepeat && result.events.length > 0) {
        wakeups.wakeAll();
        notifier.notify();
      }
      return result;
    },
    async appendMany(appends, appendOptions) {
      const results = await appendMany(context, appends, appendOptions);
      if (results.some((result) => !result.wasRepeat && result.events.length > 0)) {
        wakeups.wakeAll();
        notifier.notify();
      }
      return results;
    },
    async readStream(streamId, readOptions) {
      const events = await readStream(db, streamId, readOptions);
      const last = events.at(-1);
      if (last !== undefined) heads.saw(streamId, { version: last.version, hash: last.hash });
      return events;
    },
    streamVersion: (streamId) => streamVersion(db, streamId),
    async streamVersions(streamIds) {
      const heads = await readStreamHeads(db, [...new Set(streamIds)]);
      return new Map([...heads].map(([streamId, head]) => [streamId, head.version]));
    },
    readAll: (readOptions) => readAll(db, readOptions),
    verifyStream: (streamId) => verifyStream(db, streamId),
    countEventsAfter: (after, upTo) => countEventsAfter(db, after, upTo),
    waitForEvents: (timeoutMs) => wakeups.wait(timeoutMs),
    async isReady() {
      try {
        await sql`select 1`.execute(db);
        return (await pendingMigrations(db, options.extraMigrations)).length === 0;
      } catch {
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        await wakeups.close();
        await notifier.settled();
        await driver.close();
      })();
      return closing;
    },
  };
}
