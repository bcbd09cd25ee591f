import { type Kysely, type QueryId, RawNode, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import type { EventStore } from '../../src/event-store.ts';
import { processLeases } from '../../src/leases/leases.ts';
import type { EventStoreSchema } from '../../src/schema.ts';
import { createSqlEventStore } from '../../src/sql/create-sql-event-store.ts';
import {
  type TestStore,
  type TestStoreFactory,
  type TestStoreOptions,
  testDatabases,
} from '../../src/testing/index.ts';

const databases = await testDatabases();

/** `describe` once per SQL database; one that is missing, or `unless` refuses, is listed skipped with the reason. */
export function describeEachSqlStore(
  title: string,
  suite: (factory: TestStoreFactory) => void,
  unless: (factory: TestStoreFactory) => string | null = () => null,
): void {
  for (const factory of databases) {
    const skipReason = factory.skipReason ?? unless(factory);
    const name = `${title} on ${factory.name}`;
    describe.skipIf(skipReason !== null)(skipReason === null ? name : `${name} (SKIPPED: ${skipReason})`, () =>
      suite(factory),
    );
  }
}

/** Why a test of concurrent transactions cannot run on the factory's stores, or null. */
export const singleConnection = (factory: TestStoreFactory): string | null =>
  factory.isSingleConnection ? `${factory.name} has one connection, so there are no concurrent transactions` : null;

/** A store opened before the enclosing block's tests and disposed after them. */
export function openTestStore(
  factory: TestStoreFactory,
  options: TestStoreOptions = {},
): { readonly current: TestStore } {
  let opened: TestStore | undefined;
  beforeAll(async () => {
    opened = await factory.create(options);
  }, 120_000);
  afterAll(async () => {
    await opened?.dispose();
  });
  return {
    get current() {
      if (opened === undefined) throw new Error('The store is opened before the tests run.');
      return opened;
    },
  };
}

/** The log's table, for reading its columns directly. */
export const eventsOf = (db: Kysely<object>): Kysely<EventStoreSchema> => db.withTables<EventStoreSchema>();

/**
 * Another store on the same database that keeps the statements it ran, less its notifications.
 * Compiling also goes through a plugin's transformQuery, so only statements with a result count.
 */
export function countingStore(opened: TestStore): { counted: EventStore; sent: RootOperationNode[] } {
  const sent: RootOperationNode[] = [];
  const compiled = new Map<QueryId, RootOperationNode>();
  const watched = eventsOf(opened.db).withPlugin({
    transformQuery({ node, queryId }) {
      compiled.set(queryId, node);
      return node;
    },
    async transformResult({ result, queryId }) {
      const node = compiled.get(queryId)!;
      if (!(RawNode.is(node) && node.sqlFragments.some((text) => text.includes('pg_notify')))) sent.push(node);
      return result;
    },
  });
  const counted = createSqlEventStore({
    kind: opened.store.kind,
    db: watched,
    listen: async () => async () => {},
    leases: processLeases(),
    close: async () => {},
  });
  return { counted, sent };
}
