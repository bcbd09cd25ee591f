import { describe, expect, it } from 'vitest';
import { isStreamVersionConflict, StreamVersionConflict } from '../../errors/stream-version-conflict.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, openStore, streamNames } from './context.ts';

export function describeExpectedVersion(factory: EventStoreContractFactory): void {
  describe('expected version', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(1);
    const newStream = streamNames();

    it('appends to a new stream with no_stream and refuses no_stream once it exists', async () => {
      const { store } = opened;
      const stream = newStream('no-stream');
      const first = await store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
      expect(first.nextExpectedVersion).toBe(1);
      const refused = store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
      await expect(refused).rejects.toThrow(StreamVersionConflict);
      await expect(refused).rejects.toMatchObject({ streamId: stream, expected: 'no_stream', actual: 1 });
      expect(await store.streamVersion(stream)).toBe(1);
    });

    it('refuses exists on a missing stream and appends with it once the stream exists', async () => {
      const { store } = opened;
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
      const { store } = opened;
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
      const { store } = opened;
      const stream = newStream('any');
      await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
      const result = await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
      expect(result.events.map((event) => event.version)).toEqual([2]);
    });

    it('numbers a batch from the stream version and links each hash to the one before', async () => {
      const { store } = opened;
      const stream = newStream('batch');
      const { events } = await store.append(stream, [testEvent(nextId()), testEvent(nextId()), testEvent(nextId())], {
        expectedVersion: 'no_stream',
      });
      expect(events.map((event) => event.version)).toEqual([1, 2, 3]);
      expect(events.map((event) => event.previousHash)).toEqual([null, events[0]?.hash, events[1]?.hash]);
      const next = await store.append(stream, [testEvent(nextId())], { expectedVersion: 3 });
      expect(next.events[0]?.previousHash).toBe(events[2]?.hash);
    });

    it('checks the expected version of an empty append and writes nothing', async () => {
      const { store } = opened;
      const stream = newStream('empty');
      await store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
      await expect(store.append(stream, [], { expectedVersion: 'no_stream' })).rejects.toThrow(StreamVersionConflict);
      expect(await store.append(stream, [], { expectedVersion: 1 })).toEqual({
        nextExpectedVersion: 1,
        events: [],
        wasRepeat: false,
      });
      expect(await store.streamVersion(stream)).toBe(1);
    });

    it('reports version 0 for a stream that does not exist', async () => {
      const { store } = opened;
      expect(await store.streamVersion(newStream('missing'))).toBe(0);
      expect(await store.readStream(newStream('missing'))).toEqual([]);
    });
  });
}
