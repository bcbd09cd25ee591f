import { expect, it } from 'vitest';
import { isStreamVersionConflict } from '../../errors/stream-version-conflict.ts';
import { endOfLog } from '../read-log.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { describeUnless, type EventStoreContractFactory, openStore, singleConnection } from './context.ts';
import { readAlongside, versionsByStream } from './log-reader.ts';

export function describeConcurrentAppendMany(factory: EventStoreContractFactory): void {
  describeUnless(singleConnection(factory), 'concurrent appendMany', () => {
    const opened = openStore(factory, { poolSize: 12 });
    const nextId = sequentialUuids(14);

    it('lets exactly one of two batches sharing a stream at the same expected version win, and the loser writes nothing', async () => {
      const { store } = opened;
      for (let round = 0; round < 100; round++) {
        const shared = `race-shared-${round}`;
        const own = [`race-a-${round}`, `race-b-${round}`];
        const writers = round % 2 === 0 ? [store, store] : [opened.another(), opened.another()];
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
      const { store } = opened;
      const streams = ['any-0', 'any-1', 'any-2', 'any-3'];
      await Promise.all(
        Array.from({ length: 6 }, async (_, writer) => {
          const client = writer % 2 === 0 ? store : opened.another();
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

    it('delivers every event of concurrent batches exactly once, each stream in order, to a reader alongside', async () => {
      const { store } = opened;
      const writers = 4;
      const batches = 25;
      const perBatch = 40;
      const after = await endOfLog(store);
      let writing = true;
      const reader = readAlongside(store, after, {
        isWriting: () => writing,
        isOfInterest: (event) => event.streamId.startsWith('many-writer-'),
        expected: writers * batches * perBatch,
      });
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
      ).finally(() => {
        writing = false;
      });
      const seen = await reader;
      expect(seen).toHaveLength(writers * batches * perBatch);
      expect(new Set(seen.map((event) => event.id)).size).toBe(writers * batches * perBatch);
      const versions = versionsByStream(seen);
      expect(versions.size).toBe(writers * perBatch);
      for (const streamVersions of versions.values()) {
        expect(streamVersions).toEqual(Array.from({ length: batches }, (_, i) => i + 1));
      }
    }, 120_000);
  });
}
