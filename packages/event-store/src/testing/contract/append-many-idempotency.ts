import { describe, expect, it } from 'vitest';
import { EventIdConflict } from '../../errors/event-id-conflict.ts';
import type { NewEvent, StreamAppend } from '../../event-store.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, indexesEventIds, openStore, streamNames, withoutIdIndex } from './context.ts';

export function describeAppendManyIdempotency(factory: EventStoreContractFactory): void {
  describe('appendMany, idempotency', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(11);
    const newStream = streamNames();
    const events = (count: number, fields: Partial<NewEvent> = {}) =>
      Array.from({ length: count }, () => testEvent(nextId(), fields));
    const versionsOf = (streamIds: readonly string[]) =>
      Promise.all(streamIds.map((streamId) => opened.store.streamVersion(streamId)));

    it('returns the originals and appends nothing when the same appends are sent again', async () => {
      const { store } = opened;
      const [a, b] = [newStream('repeat'), newStream('repeat')];
      const appends: StreamAppend[] = [
        { streamId: a, events: events(2), expectedVersion: 'no_stream' },
        { streamId: b, events: events(1), expectedVersion: 'no_stream' },
      ];
      const first = await store.appendMany(appends);
      const again = await store.appendMany(appends);
      expect(again.map((r) => r.wasRepeat)).toEqual([true, true]);
      expect(again.map((r) => r.events)).toEqual(first.map((r) => r.events));
      expect(again.map((r) => r.nextExpectedVersion)).toEqual([2, 1]);
      expect(await versionsOf([a, b])).toEqual([2, 1]);
    });

    it('treats each stream on its own: a repeated stream beside a new one writes only the new one', async () => {
      const { store } = opened;
      const [repeated, fresh] = [newStream('half'), newStream('half')];
      const batch = events(1);
      const original = await store.appendMany([{ streamId: repeated, events: batch, expectedVersion: 'no_stream' }]);
      const results = await store.appendMany([
        { streamId: repeated, events: batch, expectedVersion: 'no_stream' },
        { streamId: fresh, events: events(1), expectedVersion: 'no_stream' },
      ]);
      expect(results.map((r) => r.wasRepeat)).toEqual([true, false]);
      expect(results[0]!.events).toEqual(original[0]!.events);
      expect(await versionsOf([repeated, fresh])).toEqual([1, 1]);
    });

    it.skipIf(!indexesEventIds(factory))(
      withoutIdIndex(factory, 'refuses an id stored in another stream, writing nothing'),
      async () => {
        const { store } = opened;
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
        expect(await versionsOf([owner, intruder, bystander])).toEqual([1, 0, 0]);
      },
    );

    it('refuses a batch that only partly repeats, writing nothing', async () => {
      const { store } = opened;
      const owner = newStream('owner');
      const stored = testEvent(nextId());
      await store.append(owner, [stored], { expectedVersion: 'no_stream' });
      const partly = store.appendMany([
        { streamId: owner, events: [stored, testEvent(nextId())], expectedVersion: 'any' },
      ]);
      await expect(partly).rejects.toThrow(EventIdConflict);
      expect(await versionsOf([owner])).toEqual([1]);
    });
  });
}
