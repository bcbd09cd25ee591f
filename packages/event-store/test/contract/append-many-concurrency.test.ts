import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStreamVersionConflict } from '../../src/errors/stream-version-conflict.ts';
import type { EventStore, StoredEvent } from '../../src/event-store.ts';
import { createSqlEventStore } from '../../src/sql/create-sql-event-store.ts';
import { sequentialUuids, type TestStore, testDatabases, testEvent } from '../../src/testing/index.ts';
import { compareCheckpoints, endOfLog } from './read-until.ts';

const databases = await testDatabases();

describe.each(databases)('appendMany from concurrent connections on $name', (database) => {
  const skipReason =
    database.name === 'pglite'
      ? 'PGlite has one connection, so there are no concurrent transactions to test'
      : database.skipReason;
  describe.skipIf(skipReason !== null)(skipReason === null ? 'many connections' : `SKIPPED: ${skipReason}`, () => {
    let opened: TestStore;
    let store: EventStore;
    const nextId = sequentialUuids(9);
    // A fresh store over the same pool remembers no heads, like another process.
    const fresh = () =>
      createSqlEventStore({
        kind: store.kind,
        db: store.db,
        listen: async () => async () => {},
        close: async () => {},
      });

    beforeAll(async () => {
      opened = await database.create({ poolSize: 12 });
      store = opened.store;
    }, 60_000);
    afterAll(async () => {
      await opened?.dispose();
    });

    it('lets exactly one of two batches sharing a stream at the same expected version win, and the loser writes nothing', async () => {
      for (let round = 0; round < 100; round++) {
        const shared = `race-shared-${round}`;
        const own = [`race-a-${round}`, `race-b-${round}`];
        const writers = round % 2 === 0 ? [store, store] : [fresh(), fresh()];
        for (const expectedVersion of ['no_stream', 1] as const) {
          const outcomes = await Promise.allSettled(
            writers.map((writer, i) =>
              writer.appendMany([
                {
                  streamId: `${own[i]}-${expectedVersion}`,
                  events: [testEvent(nextId())],
                  expectedVersion: 'no_stream',
                },
                { streamId: shared, events: [testEvent(nextId())], expectedVersion },
              ]),
            ),
          );
          const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
          const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
          expect(winners).toHaveLength(1);
          expect(losers.every(isStreamVersionConflict)).toBe(true);
          const loser = 1 - winners[0]!;
          expect(await store.streamVersion(`${own[loser]}-${expectedVersion}`)).toBe(0);
          expect(await store.streamVersion(`${own[winners[0]!]}-${expectedVersion}`)).toBe(1);
        }
        expect(await store.streamVersion(shared)).toBe(2);
      }
    }, 120_000);

    it('lets batches with expected version any all land on shared streams, in any order, retrying when they lose', async () => {
      const streams = ['any-0', 'any-1', 'any-2', 'any-3'];
      await Promise.all(
        Array.from({ length: 6 }, async (_, writer) => {
          const client = writer % 2 === 0 ? store : fresh();
          for (let i = 0; i < 15; i++) {
            const order = writer % 3 === 0 ? [...streams].reverse() : streams;
            await client.appendMany(
              order.map((streamId) => ({ streamId, events: [testEvent(nextId())], expectedVersion: 'any' as const })),
            );
          }
        }),
      );
      for (const streamId of streams) {
        expect(await store.verifyStream(streamId)).toMatchObject({ ok: true, eventsChecked: 90 });
      }
    }, 60_000);

    it('delivers every event of concurrent batches exactly once, in checkpoint order, to a reader alongside', async () => {
      const writers = 4;
      const batches = 25;
      const perBatch = 40;
      const after = await endOfLog(store);
      let writing = true;
      const seen: StoredEvent[] = [];
      const reader = (async () => {
        let checkpoint = after;
        while (writing || seen.length < writers * batches * perBatch) {
          const page = await store.readAll({ after: checkpoint, maxCount: 500 });
          for (const event of page.events) if (event.streamId.startsWith('many-writer-')) seen.push(event);
          if (page.events.length === 0) await store.waitForEvents(20);
          checkpoint = page.checkpoint;
        }
      })();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let batch = 0; batch < batches; batch++) {
            await store.appendMany(
              Array.from({ length: perBatch }, (_, i) => ({
                streamId: `many-writer-${writer}-${i}`,
                events: [testEvent(nextId())],
                expectedVersion: batch,
              })),
            );
          }
        }),
      );
      writing = false;
      await reader;
      expect(new Set(seen.map((event) => event.id)).size).toBe(writers * batches * perBatch);
      for (let i = 1; i < seen.length; i++) expect(compareCheckpoints(seen[i - 1]!, seen[i]!)).toBe(-1);
    }, 120_000);
  });
});
