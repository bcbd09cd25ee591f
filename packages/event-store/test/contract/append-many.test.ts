import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIdConflict, isEventIdConflict } from '../../src/errors/event-id-conflict.ts';
import { isStreamVersionConflict, StreamVersionConflict } from '../../src/errors/stream-version-conflict.ts';
import type { EventStore, NewEvent, StoredEvent, StreamAppend } from '../../src/event-store.ts';
import { createSqlEventStore } from '../../src/sql/create-sql-event-store.ts';
import { sequentialUuids, type TestStore, testDatabases, testEvent } from '../../src/testing/index.ts';
import { endOfLog, readUntil } from './read-until.ts';

const databases = await testDatabases();

const claims: Migration = {
  async up(db) {
    await sql`create table test_claims (key text primary key)`.execute(db);
  },
};
const extraMigrations = [{ name: 'append_many_test', migrations: { '0001-claims': claims } }];

describe.each(databases)('appendMany on $name', (database) => {
  const skipped = database.skipReason !== null;
  describe.skipIf(skipped)(skipped ? `SKIPPED: ${database.skipReason}` : 'contract', () => {
    let opened: TestStore;
    let store: EventStore;
    let now = Date.parse('2026-09-01T08:00:00.000Z');
    const nextId = sequentialUuids(7);
    let streams = 0;
    const newStream = (name: string) => `${name}-${++streams}`;
    const events = (count: number, fields: Partial<NewEvent> = {}) =>
      Array.from({ length: count }, () => testEvent(nextId(), fields));
    const versionsOf = async (streamIds: readonly string[]) =>
      Promise.all(streamIds.map((streamId) => store.streamVersion(streamId)));

    beforeAll(async () => {
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

    describe('writing', () => {
      it('appends to new and existing streams in one transaction, chaining each stream on its own', async () => {
        const [fresh, existing, anyStream] = [newStream('fresh'), newStream('existing'), newStream('any')];
        const first = await store.append(existing, events(2), { expectedVersion: 'no_stream' });
        await store.append(anyStream, events(1), { expectedVersion: 'no_stream' });
        const results = await store.appendMany([
          { streamId: fresh, events: events(2), expectedVersion: 'no_stream' },
          { streamId: existing, events: events(1), expectedVersion: 2 },
          { streamId: anyStream, events: events(1), expectedVersion: 'any' },
        ]);
        expect(results.map((r) => [r.nextExpectedVersion, r.wasRepeat])).toEqual([
          [2, false],
          [3, false],
          [2, false],
        ]);
        const [freshEvents, existingEvents] = [results[0]!.events, results[1]!.events];
        expect(freshEvents.map((e) => [e.streamId, e.version, e.previousHash])).toEqual([
          [fresh, 1, null],
          [fresh, 2, freshEvents[0]!.hash],
        ]);
        expect(existingEvents[0]!.previousHash).toBe(first.events[1]!.hash);
        expect(new Set(results.flatMap((r) => r.events.map((e) => e.transactionId))).size).toBe(1);
        for (const streamId of [fresh, existing, anyStream]) {
          expect(await store.verifyStream(streamId)).toMatchObject({ ok: true });
        }
        expect(await store.readStream(fresh)).toEqual(freshEvents);
      });

      it('writes thousands of streams with chains that verify and a log that reads them all once', async () => {
        const after = await endOfLog(store);
        const appends: StreamAppend[] = Array.from({ length: 4500 }, (_, i) => ({
          streamId: newStream('bulk'),
          events: events(i % 3 === 0 ? 2 : 1, { data: { i, note: 'quote " backslash \\ comma , brace {' } }),
          expectedVersion: 'no_stream',
        }));
        const results = await store.appendMany(appends);
        const total = results.reduce((sum, r) => sum + r.events.length, 0);
        expect(total).toBe(6000);
        const sample = [0, 1, 2, 2999, 4499].map((i) => appends[i]!.streamId);
        for (const streamId of sample) expect(await store.verifyStream(streamId)).toMatchObject({ ok: true });
        expect(await store.readStream(appends[2999]!.streamId)).toEqual(results[2999]!.events);
        const mine = (read: StoredEvent[]) => read.filter((e) => e.streamId.startsWith('bulk-'));
        const { events: read } = await readUntil(store, after, (r) => mine(r).length >= total, { maxCount: 1000 });
        expect(new Set(mine(read).map((e) => e.id)).size).toBe(total);
      });

      it('hashes any JSON payload as eventHash does, whatever its keys, numbers and text', async () => {
        const stream = newStream('canonical');
        const tricky = {
          é: 1,
          z: [1e21, 1e-7, -0, 0.1, 123456789012345, 5e-324, true, null],
          A: { '😀': 'emoji 📚', nested: [{ b: 2, a: 1 }] },
          quote: 'she said "hi" \\ and left',
          '10': 'a key that looks like a number',
          '9': 'and another',
        };
        const results = await store.appendMany([
          {
            streamId: stream,
            events: [testEvent(nextId(), { data: tricky, personal: { note: 'ü' } }), testEvent(nextId())],
            expectedVersion: 'no_stream',
          },
        ]);
        expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 2 });
        expect(await store.readStream(stream)).toEqual(results[0]!.events);
        expect((await store.readStream(stream))[0]!.personal).toEqual({ note: 'ü' });
      });

      it('checks the expected version of a stream with no events and writes the rest', async () => {
        const [checked, written] = [newStream('checked'), newStream('written')];
        await store.append(checked, events(1), { expectedVersion: 'no_stream' });
        const results = await store.appendMany([
          { streamId: checked, events: [], expectedVersion: 1 },
          { streamId: written, events: events(1), expectedVersion: 'no_stream' },
        ]);
        expect(results[0]).toEqual({ nextExpectedVersion: 1, events: [], wasRepeat: false });
        expect(await versionsOf([checked, written])).toEqual([1, 1]);
      });

      it('reads the versions of many streams in one call, 0 for those that do not exist', async () => {
        const [a, b] = [newStream('versions'), newStream('versions')];
        await store.appendMany([
          { streamId: a, events: events(3), expectedVersion: 'no_stream' },
          { streamId: b, events: events(1), expectedVersion: 'no_stream' },
        ]);
        const missing = newStream('versions');
        expect(await store.streamVersions([a, b, missing])).toEqual(
          new Map([
            [a, 3],
            [b, 1],
            [missing, 0],
          ]),
        );
      });

      it('refuses a stream or an event id that appears twice in one call', async () => {
        const stream = newStream('twice');
        const same = testEvent(nextId());
        await expect(
          store.appendMany([
            { streamId: stream, events: events(1), expectedVersion: 'any' },
            { streamId: stream, events: events(1), expectedVersion: 'any' },
          ]),
        ).rejects.toThrow(TypeError);
        await expect(
          store.appendMany([
            { streamId: stream, events: [same], expectedVersion: 'any' },
            { streamId: newStream('twice'), events: [same], expectedVersion: 'any' },
          ]),
        ).rejects.toThrow(TypeError);
        expect(await store.streamVersion(stream)).toBe(0);
      });
    });

    describe('all or nothing', () => {
      it('writes nothing to any stream when one stream is not at the expected version', async () => {
        const [a, b, c] = [newStream('aon'), newStream('aon'), newStream('aon')];
        await store.append(b, events(2), { expectedVersion: 'no_stream' });
        const attempt = store.appendMany([
          { streamId: a, events: events(1), expectedVersion: 'no_stream' },
          { streamId: b, events: events(1), expectedVersion: 1 },
          { streamId: c, events: events(1), expectedVersion: 'no_stream' },
        ]);
        await expect(attempt).rejects.toThrow(StreamVersionConflict);
        await expect(attempt).rejects.toMatchObject({ streamId: b, expected: 1, actual: 2 });
        expect(await versionsOf([a, b, c])).toEqual([0, 2, 0]);
      });

      it('writes nothing when a stream expected to be new already exists', async () => {
        const [a, b] = [newStream('exists-already'), newStream('exists-already')];
        await store.append(b, events(1), { expectedVersion: 'no_stream' });
        const error = await store
          .appendMany([
            { streamId: a, events: events(1), expectedVersion: 'no_stream' },
            { streamId: b, events: events(1), expectedVersion: 'no_stream' },
          ])
          .catch((e: unknown) => e);
        expect(isStreamVersionConflict(error)).toBe(true);
        expect(error).toMatchObject({ streamId: b, expected: 'no_stream', actual: 1 });
        expect(await versionsOf([a, b])).toEqual([0, 1]);
      });

      it('rolls every stream back and passes the error on unchanged when the hook throws', async () => {
        const [a, b] = [newStream('hook-throws'), newStream('hook-throws')];
        const refusal = new Error('one bad row');
        const attempt = store.appendMany(
          [
            { streamId: a, events: events(1), expectedVersion: 'no_stream' },
            { streamId: b, events: events(2), expectedVersion: 'no_stream' },
          ],
          {
            inTransaction: async () => {
              throw refusal;
            },
          },
        );
        await expect(attempt).rejects.toBe(refusal);
        expect(await versionsOf([a, b])).toEqual([0, 0]);
      });

      it('runs the hook once, inside the transaction, with every event written', async () => {
        const [a, b] = [newStream('hook'), newStream('hook')];
        let seen: StoredEvent[] = [];
        let countInside = 0;
        const results = await store.appendMany(
          [
            { streamId: a, events: events(2), expectedVersion: 'no_stream' },
            { streamId: b, events: events(1), expectedVersion: 'no_stream' },
          ],
          {
            inTransaction: async (trx, appended) => {
              seen = [...appended];
              const row = await trx
                .selectFrom('events')
                .select((eb) => eb.fn.countAll<bigint>().as('count'))
                .where('stream_id', 'in', [a, b])
                .executeTakeFirstOrThrow();
              countInside = Number(row.count);
            },
          },
        );
        expect(countInside).toBe(3);
        expect(seen).toEqual(results.flatMap((r) => r.events));
      });

      it('passes on a unique violation from the hook as it is, with nothing written', async () => {
        const key = `claim-${nextId()}`;
        const claim = (streamId: string) =>
          store.appendMany([{ streamId, events: events(1), expectedVersion: 'no_stream' }], {
            inTransaction: async (trx) => {
              await sql`insert into test_claims (key) values (${key})`.execute(trx);
            },
          });
        await claim(newStream('claim'));
        const loser = newStream('claim');
        const error = await claim(loser).catch((e: unknown) => e);
        expect(isStreamVersionConflict(error) || isEventIdConflict(error)).toBe(false);
        expect(error).toMatchObject({ code: '23505' });
        expect(await store.streamVersion(loser)).toBe(0);
      });
    });

    describe('idempotency', () => {
      it('returns the originals and appends nothing when the same appends are sent again', async () => {
        const [a, b] = [newStream('repeat'), newStream('repeat')];
        const appends: StreamAppend[] = [
          { streamId: a, events: events(2), expectedVersion: 'no_stream' },
          { streamId: b, events: events(1), expectedVersion: 'no_stream' },
        ];
        let hookRuns = 0;
        const inTransaction = async () => {
          hookRuns++;
        };
        const first = await store.appendMany(appends, { inTransaction });
        const again = await store.appendMany(appends, { inTransaction });
        expect(again.map((r) => r.wasRepeat)).toEqual([true, true]);
        expect(again.map((r) => r.events)).toEqual(first.map((r) => r.events));
        expect(hookRuns).toBe(1);
        expect(await versionsOf([a, b])).toEqual([2, 1]);
      });

      it('treats each stream on its own: a repeated stream beside a new one writes only the new one', async () => {
        const [repeated, fresh] = [newStream('half'), newStream('half')];
        const batch = events(1);
        await store.appendMany([{ streamId: repeated, events: batch, expectedVersion: 'no_stream' }]);
        const results = await store.appendMany([
          { streamId: repeated, events: batch, expectedVersion: 'no_stream' },
          { streamId: fresh, events: events(1), expectedVersion: 'no_stream' },
        ]);
        expect(results.map((r) => r.wasRepeat)).toEqual([true, false]);
        expect(await versionsOf([repeated, fresh])).toEqual([1, 1]);
      });

      it('refuses an id stored in another stream, or a batch that only partly repeats, writing nothing', async () => {
        const [owner, intruder, bystander] = [newStream('owner'), newStream('intruder'), newStream('bystander')];
        const stored = testEvent(nextId());
        await store.append(owner, [stored], { expectedVersion: 'no_stream' });
        const elsewhere = await store
          .appendMany([
            { streamId: bystander, events: events(1), expectedVersion: 'no_stream' },
            { streamId: intruder, events: [stored], expectedVersion: 'no_stream' },
          ])
          .catch((e: unknown) => e);
        expect(elsewhere).toBeInstanceOf(EventIdConflict);
        expect(elsewhere).toMatchObject({ eventId: stored.id, streamId: intruder, storedInStreamId: owner });
        const partly = store.appendMany([
          { streamId: owner, events: [stored, testEvent(nextId())], expectedVersion: 'any' },
        ]);
        await expect(partly).rejects.toThrow(EventIdConflict);
        expect(await versionsOf([owner, intruder, bystander])).toEqual([1, 0, 0]);
      });
    });

    describe('a second process on the same database', () => {
      it('chains onto events another process appended', async () => {
        const stream = newStream('other-process');
        await store.appendMany([{ streamId: stream, events: events(1), expectedVersion: 'no_stream' }]);
        const other = createSqlEventStore({
          kind: store.kind,
          db: store.db,
          listen: async () => async () => {},
          close: async () => {},
        });
        await other.appendMany([{ streamId: stream, events: events(1), expectedVersion: 1 }]);
        await expect(
          store.appendMany([{ streamId: stream, events: events(1), expectedVersion: 1 }]),
        ).rejects.toMatchObject({ name: 'StreamVersionConflict', actual: 2 });
        await store.appendMany([{ streamId: stream, events: events(1), expectedVersion: 'any' }]);
        expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 3 });
      });
    });
  });
});
