import { describe, expect, it } from 'vitest';
import { EventIdConflict, isEventIdConflict } from '../../errors/event-id-conflict.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, indexesEventIds, openStore, streamNames, withoutIdIndex } from './context.ts';

export function describeIdempotency(factory: EventStoreContractFactory): void {
  describe('idempotency', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(3);
    const newStream = streamNames();

    it('returns the original events and appends nothing when the same batch is sent again', async () => {
      const { store } = opened;
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

    it.skipIf(!indexesEventIds(factory))(
      withoutIdIndex(factory, 'refuses an id already stored in another stream'),
      async () => {
        const { store } = opened;
        const id = nextId();
        const first = newStream('owner');
        const second = newStream('intruder');
        await store.append(first, [testEvent(id)], { expectedVersion: 'no_stream' });
        const error = await store.append(second, [testEvent(id)], { expectedVersion: 'no_stream' }).catch((e) => e);
        expect(isEventIdConflict(error)).toBe(true);
        expect(error).toMatchObject({ eventId: id, streamId: second, storedInStreamId: first });
        expect(await store.streamVersion(second)).toBe(0);
      },
    );

    it('refuses a batch that only partly repeats what the stream holds', async () => {
      const { store } = opened;
      const stream = newStream('partial');
      const stored = testEvent(nextId());
      await store.append(stream, [stored], { expectedVersion: 'no_stream' });
      const attempt = store.append(stream, [stored, testEvent(nextId())], { expectedVersion: 'any' });
      await expect(attempt).rejects.toThrow(EventIdConflict);
      expect(await store.streamVersion(stream)).toBe(1);
    });
  });
}
