import { describe, expect, it } from 'vitest';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { describeUnless, type EventStoreContractFactory, missingHook, openStore, streamNames } from './context.ts';

export function describeSecondProcess(factory: EventStoreContractFactory): void {
  describe('a second process on the same database', () => {
    // Another store on the same database stands in for another process: it shares no memory.
    const opened = openStore(factory);
    const nextId = sequentialUuids(4);
    const newStream = streamNames();

    it('refuses a stale exact version although this process remembers the head it expects', async () => {
      const { store } = opened;
      const stream = newStream('stale-head');
      await store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
      await opened.another().append(stream, [testEvent(nextId())], { expectedVersion: 1 });
      await expect(store.append(stream, [testEvent(nextId())], { expectedVersion: 1 })).rejects.toMatchObject({
        name: 'StreamVersionConflict',
        actual: 2,
      });
      const result = await store.append(stream, [testEvent(nextId())], { expectedVersion: 2 });
      expect(result.nextExpectedVersion).toBe(3);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 3 });
    });

    it('appends with any after the other process moved the stream on', async () => {
      const { store } = opened;
      const stream = newStream('any-moved');
      await store.append(stream, [testEvent(nextId())], { expectedVersion: 'no_stream' });
      await opened.another().append(stream, [testEvent(nextId())], { expectedVersion: 1 });
      const { events } = await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
      expect(events.map((event) => event.version)).toEqual([3]);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 3 });
    });

    it('sees a batch the other process stored as a repeat', async () => {
      const { store } = opened;
      const stream = newStream('repeat-elsewhere');
      const batch = [testEvent(nextId())];
      const original = await opened.another().append(stream, batch, { expectedVersion: 'no_stream' });
      const again = await store.append(stream, batch, { expectedVersion: 'no_stream' });
      expect(again).toEqual({ ...original, wasRepeat: true });
    });

    it('chains appendMany onto events the other process appended', async () => {
      const { store } = opened;
      const stream = newStream('many-other-process');
      await store.appendMany([{ streamId: stream, events: [testEvent(nextId())], expectedVersion: 'no_stream' }]);
      await opened.another().appendMany([{ streamId: stream, events: [testEvent(nextId())], expectedVersion: 1 }]);
      await expect(
        store.appendMany([{ streamId: stream, events: [testEvent(nextId())], expectedVersion: 1 }]),
      ).rejects.toMatchObject({ name: 'StreamVersionConflict', actual: 2 });
      await store.appendMany([{ streamId: stream, events: [testEvent(nextId())], expectedVersion: 'any' }]);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 3 });
    });

    describeUnless(missingHook(factory, 'tamper'), 'an event removed behind the store', () => {
      it('does not chain onto a remembered event that is no longer stored', async () => {
        const { store } = opened;
        const stream = newStream('vanished');
        await store.append(stream, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 'no_stream' });
        await opened.tamper.remove(stream, 2);
        await expect(store.append(stream, [testEvent(nextId())], { expectedVersion: 2 })).rejects.toMatchObject({
          name: 'StreamVersionConflict',
          actual: 1,
        });
        expect(await store.streamVersion(stream)).toBe(1);
        expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 1 });
      });

      it('appends with any after the remembered event, chained onto the one still stored', async () => {
        const { store } = opened;
        const stream = newStream('vanished-any');
        const { events } = await store.append(stream, [testEvent(nextId()), testEvent(nextId())], {
          expectedVersion: 'no_stream',
        });
        await opened.tamper.remove(stream, 2);
        const result = await store.append(stream, [testEvent(nextId())], { expectedVersion: 'any' });
        expect(result.events.map((event) => [event.version, event.previousHash])).toEqual([[2, events[0]!.hash]]);
        expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 2 });
      });
    });
  });
}
