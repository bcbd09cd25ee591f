import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStreamVersionConflict } from '../../src/errors/stream-version-conflict.ts';
import type { EventStore, StoredEvent } from '../../src/event-store.ts';
import { createSqlEventStore } from '../../src/sql/create-sql-event-store.ts';
import { sequentialUuids, type TestStore, testDatabases, testEvent } from '../../src/testing/index.ts';
import { compareCheckpoints, endOfLog, readUntil } from './read-until.ts';

const databases = await testDatabases();

describe.each(databases)('concurrent connections on $name', (database) => {
  const skipReason =
    database.name === 'pglite'
      ? 'PGlite has one connection, so there are no concurrent transactions to test'
      : database.skipReason;
  describe.skipIf(skipReason !== null)(skipReason === null ? 'many connections' : `SKIPPED: ${skipReason}`, () => {
    let opened: TestStore;
    let store: EventStore;
    const nextId = sequentialUuids();

    beforeAll(async () => {
      opened = await database.create({ poolSize: 12 });
      store = opened.store;
    }, 60_000);
    afterAll(async () => {
      await opened?.dispose();
    });

    it('lets exactly one of two writers with the same expected version win, every time', async () => {
      // A store remembers the heads it wrote, so it may skip reading them; a fresh store over the
      // same pool remembers nothing. The rounds mix both kinds of writer.
      const fresh = () =>
        createSqlEventStore({
          kind: store.kind,
          db: store.db,
          listen: async () => async () => {},
          close: async () => {},
        });
      let conflicts = 0;
      for (let round = 0; round < 200; round++) {
        const stream = `race-${round}`;
        const writers = [
          [store, store],
          [fresh(), fresh()],
          [store, fresh()],
        ][round % 3]!;
        for (const expectedVersion of ['no_stream', 1] as const) {
          const outcomes = await Promise.allSettled(
            writers.map((writer) => writer.append(stream, [testEvent(nextId())], { expectedVersion })),
          );
          const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
          const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
          expect(winners).toHaveLength(1);
          expect(losers.every(isStreamVersionConflict)).toBe(true);
          conflicts += losers.length;
        }
        expect(await store.streamVersion(stream)).toBe(2);
      }
      expect(conflicts).toBe(400);
    }, 60_000);

    it('lets writers with expected version any all append to one stream, retrying when they lose', async () => {
      const stream = 'shared-any';
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < 20; i++) await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
        }),
      );
      expect(await store.streamVersion(stream)).toBe(160);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 160 });
    }, 60_000);

    it('does not deliver a later commit while an earlier append is still open, and then delivers both', async () => {
      const after = await endOfLog(store);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let slowInserted!: () => void;
      const inserted = new Promise<void>((resolve) => {
        slowInserted = resolve;
      });
      const slowEvent = testEvent(nextId());
      // appendMany's hook holds its transaction open after the insert, as a slow writer would.
      const slow = store.appendMany([{ streamId: 'gap-slow', events: [slowEvent], expectedVersion: 'no_stream' }], {
        inTransaction: async () => {
          slowInserted();
          await gate;
        },
      });
      await inserted;
      const fast = await store.append('gap-fast', [testEvent(nextId())], { expectedVersion: 'no_stream' });
      const fastId = fast.events[0]!.id;

      const whileOpen = await store.readAll({ after });
      expect(whileOpen.events.map((event) => event.id)).not.toContain(fastId);
      expect(whileOpen.events.map((event) => event.id)).not.toContain(slowEvent.id);

      release();
      await slow;
      const mine = (events: StoredEvent[]) => events.filter((event) => event.streamId.startsWith('gap-'));
      const { events } = await readUntil(store, whileOpen.checkpoint, (read) => mine(read).length === 2);
      expect(mine(events).map((event) => event.id)).toEqual([slowEvent.id, fastId]);
    });

    it('does not skip an event at a lower position whose transaction commits after a reader passed a higher one', async () => {
      // The interleaving that breaks readers checkpointing by position alone (STACK.md, "Gap-free read").
      const after = await endOfLog(store);
      const older = new pg.Client({ connectionString: opened.connectionString });
      await older.connect();
      try {
        await older.query('begin');
        await older.query('select pg_current_xact_id()');
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        let youngerInserted!: () => void;
        const inserted = new Promise<void>((resolve) => {
          youngerInserted = resolve;
        });
        const younger = store.appendMany(
          [{ streamId: 'interleave-younger', events: [testEvent(nextId())], expectedVersion: 'no_stream' }],
          {
            inTransaction: async () => {
              youngerInserted();
              await gate;
            },
          },
        );
        await inserted;
        const olderId = nextId();
        await older.query(
          `insert into events (stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at, hash)
           values ('interleave-older', 1, $1, 'SomethingHappened', 1, '{}', '{}', now(), 'not-chained')`,
          [olderId],
        );
        await older.query('commit');

        const mine = (events: StoredEvent[]) => events.filter((event) => event.streamId.startsWith('interleave-'));
        const first = await readUntil(store, after, (read) => mine(read).length >= 1);
        expect(mine(first.events).map((event) => event.id)).toEqual([olderId]);

        release();
        const [youngerResult] = await younger;
        const youngerId = youngerResult!.events[0]!.id;
        expect(youngerResult!.events[0]!.position).toBeLessThan(first.events.at(-1)!.position);
        const second = await readUntil(store, first.checkpoint, (read) => mine(read).length >= 1);
        expect(mine(second.events).map((event) => event.id)).toEqual([youngerId]);
      } finally {
        await older.end();
      }
    });

    it('delivers every event from 8 concurrent writers exactly once, in checkpoint order, to a reader running alongside', async () => {
      const writers = 8;
      const perWriter = 500;
      const after = await endOfLog(store);
      let writing = true;
      const seen: StoredEvent[] = [];
      const reader = (async () => {
        let checkpoint = after;
        while (writing || seen.length < writers * perWriter) {
          const page = await store.readAll({ after: checkpoint, maxCount: 200 });
          for (const event of page.events) if (event.streamId.startsWith('writer-')) seen.push(event);
          if (page.events.length > 0) {
            expect(compareCheckpoints(page.checkpoint, checkpoint)).toBe(1);
          } else {
            await store.waitForEvents(20);
          }
          checkpoint = page.checkpoint;
        }
      })();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let version = 0; version < perWriter; version++) {
            await store.append(`writer-${writer}`, [testEvent(nextId())], { expectedVersion: version });
          }
        }),
      );
      writing = false;
      await reader;

      expect(seen).toHaveLength(writers * perWriter);
      expect(new Set(seen.map((event) => event.id)).size).toBe(writers * perWriter);
      for (let i = 1; i < seen.length; i++) {
        expect(compareCheckpoints(seen[i - 1]!, seen[i]!)).toBe(-1);
      }
      for (let writer = 0; writer < writers; writer++) {
        const versions = seen.filter((event) => event.streamId === `writer-${writer}`).map((event) => event.version);
        expect(versions).toEqual(Array.from({ length: perWriter }, (_, i) => i + 1));
      }
    }, 120_000);
  });
});
