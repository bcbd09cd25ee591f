import { describe, expect, it } from 'vitest';
import { isStreamVersionConflict, StreamVersionConflict } from '../../errors/stream-version-conflict.ts';
import type { NewEvent } from '../../event-store.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, openStore, streamNames } from './context.ts';

export function describeAppendManyAtomicity(factory: EventStoreContractFactory): void {
  describe('appendMany, all or nothing', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(10);
    const newStream = streamNames();
    const events = (count: number, fields: Partial<NewEvent> = {}) =>
      Array.from({ length: count }, () => testEvent(nextId(), fields));
    const versionsOf = (streamIds: readonly string[]) =>
      Promise.all(streamIds.map((streamId) => opened.store.streamVersion(streamId)));

    it('writes nothing to any stream when one stream is not at the expected version', async () => {
      const { store } = opened;
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
      const { store } = opened;
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

    it('writes nothing when a stream expected to exist does not', async () => {
      const { store } = opened;
      const [a, b] = [newStream('must-exist'), newStream('must-exist')];
      const attempt = store.appendMany([
        { streamId: a, events: events(1), expectedVersion: 'no_stream' },
        { streamId: b, events: events(1), expectedVersion: 'exists' },
      ]);
      await expect(attempt).rejects.toMatchObject({ name: 'StreamVersionConflict', streamId: b, actual: 0 });
      expect(await versionsOf([a, b])).toEqual([0, 0]);
    });
  });
}
