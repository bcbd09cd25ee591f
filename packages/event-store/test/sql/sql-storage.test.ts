import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { expect, it } from 'vitest';
import { pendingMigrations } from '../../src/migrations/migrate.ts';
import { TransactionTx } from '../../src/sql/transaction-tx.ts';
import { sequentialUuids, TEST_METADATA, testEvent } from '../../src/testing/index.ts';
import { describeEachSqlStore, eventsOf, openTestStore } from './sql-stores.ts';

// A read model beside the log, as projections and the api add them.
const uniqueKeys: Migration = {
  async up(db) {
    await sql`create table test_unique_keys (key text primary key, stream_id text not null)`.execute(db);
  },
};
const extraMigrations = [{ name: 'contract_test', migrations: { '0001-unique-keys': uniqueKeys } }];

describeEachSqlStore('SQL storage', (factory) => {
  let now = Date.parse('2026-09-01T08:00:00.123Z');
  // Each append is recorded one second after the previous one.
  const clock = () => {
    now += 1000;
    return new Date(now);
  };
  const opened = openTestStore(factory, { extraMigrations, clock });
  const nextId = sequentialUuids(25);

  it('is ready once the store’s and the extra migrations are applied, and reports those not yet applied', async () => {
    const { store, db } = opened.current;
    expect(await store.isReady()).toBe(true);
    expect(await pendingMigrations(db, extraMigrations)).toEqual([]);
    const unknownSet = [{ name: 'not_yet', migrations: { '0001-later': uniqueKeys } }];
    expect(await pendingMigrations(db, unknownSet)).toEqual([{ set: 'not_yet', name: '0001-later' }]);
    await sql`insert into test_unique_keys (key, stream_id) values ('k', 's')`.execute(db);
  });

  it('records events at the time the clock gives, to the millisecond', async () => {
    const { store } = opened.current;
    const { events } = await store.append('clocked', [testEvent(nextId()), testEvent(nextId())], {
      expectedVersion: 'no_stream',
    });
    const read = await store.readStream('clocked');
    expect(read.map((event) => event.recordedAt)).toEqual([new Date(now), new Date(now)]);
    expect(read[0]!.recordedAt.getUTCMilliseconds()).toBe(123);
    expect(read).toEqual(events);
  });

  it('keeps the LA of the caller who recorded each event in a column of its own, for reads by tenant', async () => {
    const { store, db } = opened.current;
    const metadata = { ...TEST_METADATA, actor: { ...TEST_METADATA.actor, tenant: '886' } };
    await store.append(
      'tenanted',
      [testEvent(nextId(), { metadata }), testEvent(nextId(), { metadata: {} as never })],
      {
        expectedVersion: 'no_stream',
      },
    );
    const rows = await eventsOf(db)
      .selectFrom('events')
      .select(['stream_version', 'tenant'])
      .where('stream_id', '=', 'tenanted')
      .orderBy('stream_version')
      .execute();
    expect(rows).toEqual([
      { stream_version: 1, tenant: '886' },
      { stream_version: 2, tenant: null },
    ]);
  });

  it('wakes a waiter when the database notifies on the events channel, long before the timeout', async () => {
    const { store, db } = opened.current;
    // Listening starts with the first wait; the appends before may still have a notification on its way.
    let waited = 0;
    for (let attempt = 0; attempt < 10 && waited < 45; attempt++) {
      const started = Date.now();
      await store.waitForEvents(50);
      waited = Date.now() - started;
    }
    expect(waited).toBeGreaterThanOrEqual(45);
    const started = Date.now();
    const waiting = store.waitForEvents(30_000);
    await sql`select pg_notify('events', '')`.execute(db);
    await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reads many streams in one statement, each from its own version, grouped by stream and in order', async () => {
    const { store, db } = opened.current;
    for (const streamId of ['many-a', 'many-b', 'many-c']) {
      await store.append(streamId, [testEvent(nextId()), testEvent(nextId()), testEvent(nextId())], {
        expectedVersion: 'any',
      });
    }
    const read = await eventsOf(db)
      .transaction()
      .execute((trx) =>
        new TransactionTx(trx).readStreams([
          { streamId: 'many-c', fromVersion: 2 },
          { streamId: 'many-a', fromVersion: 1 },
          { streamId: 'many-b', fromVersion: 4 },
          { streamId: 'many-none', fromVersion: 1 },
        ]),
      );
    expect(read.map((event) => `${event.streamId}@${event.version}`)).toEqual([
      'many-a@1',
      'many-a@2',
      'many-a@3',
      'many-c@2',
      'many-c@3',
    ]);
    expect(read.slice(0, 3)).toEqual(await store.readStream('many-a'));
  });
});
