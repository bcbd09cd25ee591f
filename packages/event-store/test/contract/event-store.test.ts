import { type QueryId, RawNode, type RootOperationNode, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIdConflict, isEventIdConflict } from '../../src/errors/event-id-conflict.ts';
import { isStreamVersionConflict, StreamVersionConflict } from '../../src/errors/stream-version-conflict.ts';
import { APPENDED_EVENTS, type EventMetadata, type EventStore, type StoredEvent } from '../../src/event-store.ts';
import { pendingMigrations } from '../../src/migrations/migrate.ts';
import { createSqlEventStore } from '../../src/sql/create-sql-event-store.ts';
import { sequentialUuids, type TestStore, testDatabases, testEvent } from '../../src/testing/index.ts';
import { endOfLog, readUntil } from './read-until.ts';

const databases = await testDatabases();

// A read model beside the log, as projections and the api add them.
const uniqueKeys: Migration = {
  async up(db) {
    await sql`create table test_unique_keys (key text primary key, stream_id text not null)`.execute(db);
  },
};
const extraMigrations = [{ name: 'contract_test', migrations: { '0001-unique-keys': uniqueKeys } }];

describe.each(databases)('event store on $name', (database) => {
  const skipped = database.skipReason !== null;
  describe.skipIf(skipped)(skipped ? `SKIPPED: ${database.skipReason}` : 'contract', () => {
    let opened: TestStore;
    let store: EventStore;
    let now = Date.parse('2026-09-01T08:00:00.000Z');
    const nextId = sequentialUuids();
    let streams = 0;
    const newStream = (name: string) => `${name}-${++streams}`;

    beforeAll(async () => {
      // Each append is recorded one second after the previous one.
      const clock = () => {
        now += 1000;
        return new Date(now);
      };
      opened = await database.create({ extraMigrations, clock });
      store = opened.store;
    }, 60_000);
    afterAll(async () => {
      await opened?.dispose();
    });

    describe('expected version', () => {
      it('appends to a new stream with no_stream and refuses no_stream once it exists', async () => {
        const stream = newStream('no-stream');
        const first = await store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
        expect(first.nextExpectedVersion).toBe(1);
        const refused = store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
        await expect(refused).rejects.toThrow(StreamVersionConflict);
        await expect(refused).rejects.toMatchObject({ streamId: stream, expected: 'no_stream', actual: 1 });
      });

      it('refuses exists on a missing stream and appends with it once the stream exists', async () => {
        const stream = newStream('exists');
        await expect(store.append(stream, [testEvent(nextId())], { expectedVersion: 'exists' })).rejects.toMatchObject({
          name: 'StreamVersionConflict',
          streamId: stream,
          expected: 'exists',
          actual: 0,
        });
        await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
        const result = await store.append(stream, [testEvent(nextId())], { expectedVersion: 'exists' });
        expect(result.nextExpectedVersion).toBe(2);
      });

      it('appends at the exact current version and refuses a stale one', async () => {
        const stream = newStream('exact');
        await store.append(stream, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 0 });
        const result = await store.append(stream, [testEvent(nextId())], { expectedVersion: 2 });
        expect(result.nextExpectedVersion).toBe(3);
        const error = await store.append(stream, [testEvent(nextId())], { expectedVersion: 2 }).catch((e) => e);
        expect(isStreamVersionConflict(error)).toBe(true);
        expect(error).toMatchObject({ streamId: stream, expected: 2, actual: 3 });
        expect(await store.streamVersion(stream)).toBe(3);
      });

      it('appends with any whatever the version', async () => {
        const stream = newStream('any');
        await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
        const result = await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
        expect(result.events.map((event) => event.version)).toEqual([2]);
      });

      it('numbers a batch from the stream version and links each hash to the one before', async () => {
        const stream = newStream('batch');
        const { events } = await store.append(stream, [testEvent(nextId()), testEvent(nextId()), testEvent(nextId())], {
          expectedVersion: 'no_stream',
        });
        expect(events.map((event) => event.version)).toEqual([1, 2, 3]);
        expect(events.map((event) => event.previousHash)).toEqual([null, events[0]?.hash, events[1]?.hash]);
        expect(new Set(events.map((event) => event.transactionId)).size).toBe(1);
      });

      it('checks the expected version of an empty append and writes nothing', async () => {
        const stream = newStream('empty');
        await store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
        await expect(store.append(stream, [], { expectedVersion: 'no_stream' })).rejects.toThrow(StreamVersionConflict);
        expect(await store.append(stream, [], { expectedVersion: 1 })).toEqual({
          nextExpectedVersion: 1,
          events: [],
          wasRepeat: false,
        });
      });

      it('reports version 0 for a stream that does not exist', async () => {
        expect(await store.streamVersion(newStream('missing'))).toBe(0);
        expect(await store.readStream(newStream('missing'))).toEqual([]);
      });
    });

    describe('round trip', () => {
      it('reads back exactly what append returned, metadata and personal fields included', async () => {
        const stream = newStream('round-trip');
        const metadata: EventMetadata = {
          actor: { id: 'officer-7', role: 'la_officer', tenant: '330' },
          correlationId: 'correlation-7',
          causationId: 'command-7',
          reason: 'Review brought forward at the family’s request',
          occurredAt: '2026-08-31T15:30:00.000Z',
          idempotencyKey: 'key-7',
        };
        const appended = await store.append(
          stream,
          [
            testEvent(nextId(), {
              type: 'ReviewHeld',
              schemaVersion: 2,
              data: { steps: [1, 2.5, -0, 1e21, 1e-7], outcome: 'continue', nested: { ü: true, a: null } },
              personal: { note: 'Likes the library at lunch 📚' },
              metadata,
            }),
            testEvent(nextId(), { metadata: { ...metadata, reason: undefined } }),
          ],
          { expectedVersion: 'no_stream' },
        );
        const read = await store.readStream(stream);
        expect(read).toEqual(appended.events);
        expect(read[0]?.metadata).toEqual(metadata);
        expect(read[1]?.metadata).not.toHaveProperty('reason');
        expect(read[1]?.personal).toBeNull();
        expect(typeof read[0]?.position).toBe('bigint');
        expect(typeof read[0]?.transactionId).toBe('bigint');
        expect(read[0]?.recordedAt.getUTCMilliseconds()).toBe(new Date(now).getUTCMilliseconds());
      });

      it('stores event ids in lower case', async () => {
        const id = nextId().toUpperCase();
        const { events } = await store.append(newStream('upper'), [testEvent(id)], { expectedVersion: 'any' });
        expect(events[0]?.id).toBe(id.toLowerCase());
      });
    });

    describe('idempotency', () => {
      it('returns the original events and appends nothing when the same batch is sent again', async () => {
        const stream = newStream('repeat');
        const batch = [testEvent(nextId()), testEvent(nextId())];
        const first = await store.append(stream, batch, { expectedVersion: 'no_stream' });
        await store.append(stream, [testEvent(nextId())], { expectedVersion: 2 });
        const again = await store.append(stream, batch, { expectedVersion: 'no_stream' });
        expect(again.wasRepeat).toBe(true);
        expect(again.events).toEqual(first.events);
        expect(again.nextExpectedVersion).toBe(2);
        const withAny = await store.append(stream, batch, { expectedVersion: 'any' });
        expect(withAny.wasRepeat).toBe(true);
        expect(withAny.events.map((event) => event.position)).toEqual(first.events.map((event) => event.position));
        expect(await store.streamVersion(stream)).toBe(3);
      });

      it('refuses an id already stored in another stream', async () => {
        const id = nextId();
        const first = newStream('owner');
        const second = newStream('intruder');
        await store.append(first, [testEvent(id)], { expectedVersion: 'no_stream' });
        const error = await store.append(second, [testEvent(id)], { expectedVersion: 'no_stream' }).catch((e) => e);
        expect(isEventIdConflict(error)).toBe(true);
        expect(error).toMatchObject({ eventId: id, streamId: second, storedInStreamId: first });
        expect(await store.streamVersion(second)).toBe(0);
      });

      it('refuses a batch that only partly repeats what the stream holds', async () => {
        const stream = newStream('partial');
        const stored = testEvent(nextId());
        await store.append(stream, [stored], { expectedVersion: 'no_stream' });
        const attempt = store.append(stream, [stored, testEvent(nextId())], { expectedVersion: 'any' });
        await expect(attempt).rejects.toThrow(EventIdConflict);
        expect(await store.streamVersion(stream)).toBe(1);
      });
    });

    describe('a second process on the same database', () => {
      // Another store over the same database stands in for another process: it shares no memory.
      const otherProcess = () =>
        createSqlEventStore({
          kind: store.kind,
          db: store.db,
          listen: async () => async () => {},
          close: async () => {},
        });

      it('refuses a stale exact version although this process remembers the head it expects', async () => {
        const stream = newStream('stale-head');
        await store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
        await otherProcess().append(stream, [testEvent(nextId())], { expectedVersion: 1 });
        await expect(store.append(stream, [testEvent(nextId())], { expectedVersion: 1 })).rejects.toMatchObject({
          name: 'StreamVersionConflict',
          actual: 2,
        });
        const result = await store.append(stream, [testEvent(nextId())], { expectedVersion: 2 });
        expect(result.nextExpectedVersion).toBe(3);
        expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 3 });
      });

      it('appends with any after the other process moved the stream on', async () => {
        const stream = newStream('any-moved');
        await store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
        await otherProcess().append(stream, [testEvent(nextId())], { expectedVersion: 1 });
        const { events } = await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
        expect(events.map((event) => event.version)).toEqual([3]);
        expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 3 });
      });

      it('does not chain onto a remembered event that is no longer stored', async () => {
        const stream = newStream('vanished');
        await store.append(stream, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 'no_stream' });
        await sql`delete from events where stream_id = ${stream} and stream_version = 2`.execute(store.db);
        await expect(store.append(stream, [testEvent(nextId())], { expectedVersion: 2 })).rejects.toMatchObject({
          name: 'StreamVersionConflict',
          actual: 1,
        });
        expect(await store.streamVersion(stream)).toBe(1);
      });
    });

    describe('alongside writes', () => {
      beforeAll(async () => {
        await sql`
          create table test_alongside (
            key text not null constraint test_alongside_key_unique unique,
            stream_id text not null,
            first_position bigint,
            last_version integer,
            writes integer not null default 1
          )`.execute(store.db);
      });

      // Claims the key for the appended events; a second claim breaks the unique constraint.
      const claim = (key: string, stream: string) => sql`
        insert into test_alongside (key, stream_id, first_position, last_version)
        select ${key}::text, ${stream}::text, min(position), max(stream_version) from appended_events
        having count(*) > 0`;
      // Records the appended events under the key, counting each write that takes effect.
      const record = (key: string, stream: string) => sql`
        insert into test_alongside (key, stream_id, first_position, last_version)
        select ${key}::text, ${stream}::text, min(position), max(stream_version) from ${sql.table(APPENDED_EVENTS)}
        having count(*) > 0
        on conflict (key) do update set writes = test_alongside.writes + 1, last_version = excluded.last_version`;
      const recorded = async (key: string) => {
        const { rows } = await sql`
          select stream_id, first_position, last_version, writes from test_alongside where key = ${key}`.execute(
          store.db,
        );
        return rows;
      };
      // Another store over the same database that keeps the statements it ran, less its notifications.
      // Compiling also goes through a plugin's transformQuery, so only statements with a result count.
      const countingStore = () => {
        const sent: RootOperationNode[] = [];
        const compiled = new Map<QueryId, RootOperationNode>();
        const db = store.db.withPlugin({
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
          kind: store.kind,
          db,
          listen: async () => async () => {},
          close: async () => {},
        });
        return { counted, sent };
      };

      it('commits with the events, all in one statement', async () => {
        const stream = newStream('alongside');
        const [first, second] = [`first-${nextId()}`, `second-${nextId()}`];
        const { counted, sent } = countingStore();
        const { events } = await counted.append(stream, [testEvent(nextId()), testEvent(nextId())], {
          expectedVersion: 'no_stream',
          alongside: [record(first, stream), claim(second, stream)],
        });
        expect(sent).toHaveLength(1);
        const row = { stream_id: stream, first_position: events[0]!.position, last_version: 2, writes: 1 };
        expect(await recorded(first)).toEqual([row]);
        expect(await recorded(second)).toEqual([row]);
      });

      it('stores nothing and passes on the original error when a write breaks a unique constraint', async () => {
        const key = `upn-${nextId()}`;
        const owner = newStream('claim');
        await store.append(owner, [testEvent(nextId())], {
          expectedVersion: 'no_stream',
          alongside: [claim(key, owner)],
        });
        const loser = newStream('claim');
        const beside = `beside-${nextId()}`;
        const error = await store
          .append(loser, [testEvent(nextId())], {
            expectedVersion: 'no_stream',
            alongside: [record(beside, loser), claim(key, loser)],
          })
          .catch((e: unknown) => e);
        expect(isStreamVersionConflict(error) || isEventIdConflict(error)).toBe(false);
        expect(error).toMatchObject({ code: '23505', constraint: 'test_alongside_key_unique' });
        expect(await store.streamVersion(loser)).toBe(0);
        expect(await recorded(beside)).toEqual([]);
        expect(await recorded(key)).toMatchObject([{ stream_id: owner }]);
      });

      it('runs no write for a repeat', async () => {
        const stream = newStream('alongside-repeat');
        const key = `repeat-${nextId()}`;
        const batch = [testEvent(nextId())];
        const alongside = [record(key, stream)];
        await store.append(stream, batch, { expectedVersion: 'no_stream', alongside });
        const again = await store.append(stream, batch, { expectedVersion: 'no_stream', alongside });
        const withAny = await store.append(stream, batch, { expectedVersion: 'any', alongside });
        expect([again.wasRepeat, withAny.wasRepeat]).toEqual([true, true]);
        expect(await recorded(key)).toMatchObject([{ writes: 1 }]);
      });

      it('leaves no effect when a remembered head no longer holds, then refuses the stale version', async () => {
        const stream = newStream('alongside-vanished');
        const key = `vanished-${nextId()}`;
        await store.append(stream, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 'no_stream' });
        await sql`delete from events where stream_id = ${stream} and stream_version = 2`.execute(store.db);
        const attempt = store.append(stream, [testEvent(nextId())], {
          expectedVersion: 2,
          alongside: [record(key, stream)],
        });
        await expect(attempt).rejects.toMatchObject({ name: 'StreamVersionConflict', actual: 1 });
        expect(await recorded(key)).toEqual([]);
      });

      it('writes once when an append with any retries after a remembered head no longer holds', async () => {
        const stream = newStream('alongside-retry');
        const key = `retry-${nextId()}`;
        await store.append(stream, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 'no_stream' });
        await sql`delete from events where stream_id = ${stream} and stream_version = 2`.execute(store.db);
        const { events } = await store.append(stream, [testEvent(nextId())], {
          expectedVersion: 'any',
          alongside: [record(key, stream)],
        });
        expect(events.map((event) => event.version)).toEqual([2]);
        expect(await recorded(key)).toEqual([
          { stream_id: stream, first_position: events[0]!.position, last_version: 2, writes: 1 },
        ]);
      });

      it('refuses a write that does not read appended_events before sending anything', async () => {
        const stream = newStream('alongside-unread');
        const { counted, sent } = countingStore();
        const attempt = counted.append(stream, [testEvent(nextId())], {
          expectedVersion: 'no_stream',
          alongside: [
            record(`fine-${nextId()}`, stream),
            sql`insert into test_alongside (key, stream_id) values (${`unread-${nextId()}`}, ${stream})`,
          ],
        });
        await expect(attempt).rejects.toThrow(TypeError);
        expect(sent).toEqual([]);
        expect(await store.streamVersion(stream)).toBe(0);
      });
    });

    describe('readStream', () => {
      it('reads from a version, at most maxCount events, recorded at or before an instant', async () => {
        const stream = newStream('read');
        const recorded: Date[] = [];
        for (let i = 0; i < 5; i++) {
          const { events } = await store.append(stream, [testEvent(nextId(), { data: { i } })], { expectedVersion: i });
          recorded.push(events[0]!.recordedAt);
        }
        const versions = (events: StoredEvent[]) => events.map((event) => event.version);
        expect(versions(await store.readStream(stream, { fromVersion: 3 }))).toEqual([3, 4, 5]);
        expect(versions(await store.readStream(stream, { fromVersion: 2, maxCount: 2 }))).toEqual([2, 3]);
        expect(versions(await store.readStream(stream, { recordedAtOrBefore: recorded[2]! }))).toEqual([1, 2, 3]);
        const justBefore = new Date(recorded[2]!.getTime() - 1);
        expect(versions(await store.readStream(stream, { recordedAtOrBefore: justBefore }))).toEqual([1, 2]);
      });
    });

    describe('readAll', () => {
      it('reads the log in append order, page by page, each checkpoint continuing the last', async () => {
        const after = await endOfLog(store);
        const a = newStream('log-a');
        const b = newStream('log-b');
        const ids = [nextId(), nextId(), nextId(), nextId()];
        await store.append(a, [testEvent(ids[0]!)], { expectedVersion: 'no_stream' });
        await store.append(b, [testEvent(ids[1]!), testEvent(ids[2]!)], { expectedVersion: 'no_stream' });
        await store.append(a, [testEvent(ids[3]!)], { expectedVersion: 1 });
        const mine = (events: StoredEvent[]) => events.filter((event) => event.streamId === a || event.streamId === b);
        const { events, checkpoint } = await readUntil(store, after, (read) => mine(read).length === 4, {
          maxCount: 1,
        });
        expect(mine(events).map((event) => event.id)).toEqual(ids);
        const last = events.at(-1)!;
        expect(checkpoint).toEqual({ transactionId: last.transactionId, position: last.position });
        const empty = await store.readAll({ after: checkpoint });
        expect(empty.events.filter((event) => ids.includes(event.id))).toEqual([]);
      });

      it('returns the checkpoint it was given when nothing follows it', async () => {
        const end = await endOfLog(store);
        expect(await store.readAll({ after: end })).toEqual({ events: [], checkpoint: end });
      });
    });

    describe('verifyStream', () => {
      const tamper = async (statement: ReturnType<typeof sql>) => {
        await statement.execute(store.db);
      };

      it('passes an untouched stream, whatever key order and number spelling jsonb hands back', async () => {
        const stream = newStream('verify');
        const { events } = await store.append(
          stream,
          [
            testEvent(nextId(), { data: { zeta: 1, alpha: { z: [3, 2, 1], a: 1.5e-7 }, long: 'x'.repeat(300) } }),
            testEvent(nextId(), { data: { big: 123456789012345, tiny: 5e-324, float: 0.1 }, personal: { b: 2, a: 1 } }),
          ],
          { expectedVersion: 'no_stream' },
        );
        expect(await store.verifyStream(stream)).toEqual({
          ok: true,
          streamId: stream,
          eventsChecked: 2,
          lastHash: events[1]?.hash,
        });
      });

      it('reports the one event whose stored data changed by one byte', async () => {
        const stream = newStream('tampered');
        const { events } = await store.append(
          stream,
          [1, 2, 3].map((n) => testEvent(nextId(), { data: { note: `calm morning ${n}` } })),
          { expectedVersion: 'no_stream' },
        );
        await tamper(
          sql`update events set data = jsonb_set(data, '{note}', '"calm mornin! 2"')
              where stream_id = ${stream} and stream_version = 2`,
        );
        const result = await store.verifyStream(stream);
        expect(result).toMatchObject({
          ok: false,
          eventsChecked: 1,
          firstBroken: {
            version: 2,
            position: events[1]?.position,
            storedHash: events[1]?.hash,
            problem: 'hash mismatch',
          },
        });
        expect(result.ok === false && result.firstBroken.expectedHash).not.toBe(events[1]?.hash);
      });

      it('reports a previous hash that does not link and a missing version', async () => {
        const relinked = newStream('relinked');
        await store.append(relinked, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 'no_stream' });
        await tamper(
          sql`update events set previous_hash = repeat('0', 64) where stream_id = ${relinked} and stream_version = 2`,
        );
        expect(await store.verifyStream(relinked)).toMatchObject({
          ok: false,
          firstBroken: { version: 2, problem: 'previous hash does not link' },
        });

        const gapped = newStream('gapped');
        await store.append(
          gapped,
          [1, 2, 3].map(() => testEvent(nextId())),
          { expectedVersion: 'no_stream' },
        );
        await tamper(sql`delete from events where stream_id = ${gapped} and stream_version = 2`);
        expect(await store.verifyStream(gapped)).toMatchObject({
          ok: false,
          eventsChecked: 1,
          firstBroken: { version: 3, problem: 'version gap' },
        });
      });
    });

    describe('notifications and readiness', () => {
      it('wakes a waiter when the database notifies, long before the timeout', async () => {
        await store.waitForEvents(1);
        const started = Date.now();
        const waiting = store.waitForEvents(30_000);
        await sql`select pg_notify('events', '')`.execute(store.db);
        await waiting;
        expect(Date.now() - started).toBeLessThan(5_000);
      });

      it('wakes a waiter on an append', async () => {
        const started = Date.now();
        const waiting = store.waitForEvents(30_000);
        await store.append(newStream('wake'), [testEvent(nextId())], { expectedVersion: 'no_stream' });
        await waiting;
        expect(Date.now() - started).toBeLessThan(5_000);
      });

      it('resolves after the timeout when no notification comes', async () => {
        // The previous append's notification may still be on its way: wait it out first.
        let waited = 0;
        for (let attempt = 0; attempt < 10 && waited < 45; attempt++) {
          const started = Date.now();
          await store.waitForEvents(50);
          waited = Date.now() - started;
        }
        expect(waited).toBeGreaterThanOrEqual(45);
      });

      it('is ready once the store and extra migrations are applied', async () => {
        expect(await store.isReady()).toBe(true);
        expect(await pendingMigrations(store.db, extraMigrations)).toEqual([]);
        const unknownSet = [{ name: 'not_yet', migrations: { '0001-later': uniqueKeys } }];
        expect(await pendingMigrations(store.db, unknownSet)).toEqual([{ set: 'not_yet', name: '0001-later' }]);
      });
    });
  });
});
