import { expect, it } from 'vitest';
import { isStreamVersionConflict } from '../../errors/stream-version-conflict.ts';
import { endOfLog } from '../read-log.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { describeUnless, type EventStoreContractFactory, openStore, singleConnection } from './context.ts';
import { readAlongside, versionsByStream } from './log-reader.ts';

export function describeConcurrentAppends(factory: EventStoreContractFactory): void {
  describeUnless(singleConnection(factory), 'concurrent appends', () => {
    const opened = openStore(factory, { poolSize: 12 });
    const nextId = sequentialUuids(13);

    it('lets exactly one of two writers with the same expected version win, every time', async () => {
      const { store } = opened;
      // A store remembers the heads it wrote, so it may skip reading them; another process
      // remembers nothing. The rounds mix both kinds of writer.
      let conflicts = 0;
      for (let round = 0; round < 200; round++) {
        const stream = `race-${round}`;
        const writers = [
          [store, store],
          [opened.another(), opened.another()],
          [store, opened.another()],
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
      const { store } = opened;
      const stream = 'shared-any';
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          const client = writer % 2 === 0 ? store : opened.another();
          for (let i = 0; i < 20; i++) await client.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
        }),
      );
      expect(await store.streamVersion(stream)).toBe(160);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 160 });
    }, 60_000);

    it('delivers every event from 8 concurrent writers exactly once, each stream in order, to a reader alongside', async () => {
      const { store } = opened;
      const writers = 8;
      const perWriter = 500;
      const after = await endOfLog(store);
      let writing = true;
      const reader = readAlongside(store, after, {
        isWriting: () => writing,
        isOfInterest: (event) => event.streamId.startsWith('writer-'),
        expected: writers * perWriter,
      });
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let version = 0; version < perWriter; version++) {
            await store.append(`writer-${writer}`, [testEvent(nextId())], { expectedVersion: version });
          }
        }),
      ).finally(() => {
        writing = false;
      });
      const seen = await reader;

      expect(seen).toHaveLength(writers * perWriter);
      expect(new Set(seen.map((event) => event.id)).size).toBe(writers * perWriter);
      const versions = versionsByStream(seen);
      expect(versions.size).toBe(writers);
      for (let writer = 0; writer < writers; writer++) {
        expect(versions.get(`writer-${writer}`)).toEqual(Array.from({ length: perWriter }, (_, i) => i + 1));
      }
    }, 120_000);
  });
}
