import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../event-store.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, openStore, pause, streamNames } from './context.ts';

export function describeReadStream(factory: EventStoreContractFactory): void {
  describe('readStream', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(5);
    const newStream = streamNames();
    const versions = (events: StoredEvent[]) => events.map((event) => event.version);

    it('reads from a version, at most maxCount events, recorded at or before an instant', async () => {
      const { store } = opened;
      const stream = newStream('read');
      const recorded: Date[] = [];
      for (let i = 0; i < 5; i++) {
        // Apart in time, so that each event has an instant of its own.
        if (i > 0) await pause(5);
        const { events } = await store.append(stream, [testEvent(nextId(), { data: { i } })], { expectedVersion: i });
        recorded.push(events[0]!.recordedAt);
      }
      expect(versions(await store.readStream(stream))).toEqual([1, 2, 3, 4, 5]);
      expect(versions(await store.readStream(stream, { fromVersion: 3 }))).toEqual([3, 4, 5]);
      expect(versions(await store.readStream(stream, { fromVersion: 2, maxCount: 2 }))).toEqual([2, 3]);
      expect(versions(await store.readStream(stream, { recordedAtOrBefore: recorded[2]! }))).toEqual([1, 2, 3]);
      const justBefore = new Date(recorded[2]!.getTime() - 1);
      expect(versions(await store.readStream(stream, { recordedAtOrBefore: justBefore }))).toEqual([1, 2]);
    });

    it('reads only the stream asked for', async () => {
      const { store } = opened;
      const [mine, other] = [newStream('mine'), newStream('other')];
      await store.append(mine, [testEvent(nextId())], { expectedVersion: 'no_stream' });
      await store.append(other, [testEvent(nextId())], { expectedVersion: 'no_stream' });
      await store.append(mine, [testEvent(nextId())], { expectedVersion: 1 });
      const read = await store.readStream(mine);
      expect(read.map((event) => [event.streamId, event.version])).toEqual([
        [mine, 1],
        [mine, 2],
      ]);
    });
  });
}
