import { describe, expect, it } from 'vitest';
import type { NewEvent, StoredEvent, StreamAppend } from '../../event-store.ts';
import { eventHash } from '../../hash/event-hash.ts';
import { endOfLog, readUntil } from '../read-log.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, openStore, streamNames } from './context.ts';

export function describeAppendMany(factory: EventStoreContractFactory): void {
  describe('appendMany', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(9);
    const newStream = streamNames();
    const events = (count: number, fields: Partial<NewEvent> = {}) =>
      Array.from({ length: count }, () => testEvent(nextId(), fields));
    const versionsOf = (streamIds: readonly string[]) =>
      Promise.all(streamIds.map((streamId) => opened.store.streamVersion(streamId)));

    it('appends to new and existing streams at once, chaining each stream on its own', async () => {
      const { store } = opened;
      const [fresh, existing, anyStream] = [newStream('fresh'), newStream('existing'), newStream('any')];
      const first = await store.append(existing, events(2), { expectedVersion: 'no_stream' });
      await store.append(anyStream, events(1), { expectedVersion: 'no_stream' });
      const results = await store.appendMany([
        { streamId: fresh, events: events(2), expectedVersion: 'no_stream' },
        { streamId: existing, events: events(1), expectedVersion: 2 },
        { streamId: anyStream, events: events(1), expectedVersion: 'any' },
      ]);
      expect(results.map((r) => [r.nextExpectedVersion, r.wasRepeat])).toEqual([
        [2, false],
        [3, false],
        [2, false],
      ]);
      const [freshEvents, existingEvents] = [results[0]!.events, results[1]!.events];
      expect(freshEvents.map((e) => [e.streamId, e.version, e.previousHash])).toEqual([
        [fresh, 1, null],
        [fresh, 2, freshEvents[0]!.hash],
      ]);
      expect(existingEvents[0]!.previousHash).toBe(first.events[1]!.hash);
      for (const streamId of [fresh, existing, anyStream]) {
        expect(await store.verifyStream(streamId)).toMatchObject({ ok: true });
      }
      expect(await store.readStream(fresh)).toEqual(freshEvents);
      expect(await store.readStream(existing, { fromVersion: 3 })).toEqual(existingEvents);
    });

    it('writes thousands of streams with chains that verify and a log that reads them all once', async () => {
      const { store } = opened;
      const after = await endOfLog(store);
      const appends: StreamAppend[] = Array.from({ length: 4500 }, (_, i) => ({
        streamId: newStream('bulk'),
        events: events(i % 3 === 0 ? 2 : 1, { data: { i, note: 'quote " backslash \\ comma , brace {' } }),
        expectedVersion: 'no_stream',
      }));
      const results = await store.appendMany(appends);
      const total = results.reduce((sum, r) => sum + r.events.length, 0);
      expect(total).toBe(6000);
      const sample = [0, 1, 2, 2999, 4499].map((i) => appends[i]!.streamId);
      for (const streamId of sample) expect(await store.verifyStream(streamId)).toMatchObject({ ok: true });
      expect(await store.readStream(appends[2999]!.streamId)).toEqual(results[2999]!.events);
      const mine = (read: StoredEvent[]) => read.filter((e) => e.streamId.startsWith('bulk-'));
      const { events: read } = await readUntil(store, after, (r) => mine(r).length >= total, { maxCount: 1000 });
      expect(mine(read)).toHaveLength(total);
      expect(new Set(mine(read).map((e) => e.id)).size).toBe(total);
    }, 120_000);

    it('hashes any JSON payload as eventHash does, whatever its keys, numbers and text', async () => {
      const { store } = opened;
      const stream = newStream('canonical');
      const tricky = {
        é: 1,
        z: [1e21, 1e-7, -0, 0.1, 123456789012345, 5e-324, true, null],
        A: { '😀': 'emoji 📚', nested: [{ b: 2, a: 1 }] },
        quote: 'she said "hi" \\ and left',
        '10': 'a key that looks like a number',
        '9': 'and another',
      };
      const results = await store.appendMany([
        {
          streamId: stream,
          events: [testEvent(nextId(), { data: tricky, personal: { note: 'ü' } }), testEvent(nextId())],
          expectedVersion: 'no_stream',
        },
      ]);
      const stored = results[0]!.events;
      expect(stored.map((event) => event.hash)).toEqual(stored.map((event) => eventHash(event)));
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 2 });
      expect(await store.readStream(stream)).toEqual(stored);
      expect((await store.readStream(stream))[0]!.personal).toEqual({ note: 'ü' });
    });

    it('checks the expected version of a stream with no events and writes the rest', async () => {
      const { store } = opened;
      const [checked, written] = [newStream('checked'), newStream('written')];
      await store.append(checked, events(1), { expectedVersion: 'no_stream' });
      const results = await store.appendMany([
        { streamId: checked, events: [], expectedVersion: 1 },
        { streamId: written, events: events(1), expectedVersion: 'no_stream' },
      ]);
      expect(results[0]).toEqual({ nextExpectedVersion: 1, events: [], wasRepeat: false });
      expect(await versionsOf([checked, written])).toEqual([1, 1]);
    });

    it('returns nothing for no appends', async () => {
      expect(await opened.store.appendMany([])).toEqual([]);
    });

    it('reads the versions of many streams in one call, 0 for those that do not exist', async () => {
      const { store } = opened;
      const [a, b] = [newStream('versions'), newStream('versions')];
      await store.appendMany([
        { streamId: a, events: events(3), expectedVersion: 'no_stream' },
        { streamId: b, events: events(1), expectedVersion: 'no_stream' },
      ]);
      const missing = newStream('versions');
      expect(await store.streamVersions([a, b, missing])).toEqual(
        new Map([
          [a, 3],
          [b, 1],
          [missing, 0],
        ]),
      );
    });

    it('refuses a stream or an event id that appears twice in one call', async () => {
      const { store } = opened;
      const stream = newStream('twice');
      const other = newStream('twice');
      const same = testEvent(nextId());
      await expect(
        store.appendMany([
          { streamId: stream, events: events(1), expectedVersion: 'any' },
          { streamId: stream, events: events(1), expectedVersion: 'any' },
        ]),
      ).rejects.toThrow(TypeError);
      await expect(
        store.appendMany([
          { streamId: stream, events: [same], expectedVersion: 'any' },
          { streamId: other, events: [same], expectedVersion: 'any' },
        ]),
      ).rejects.toThrow(TypeError);
      expect(await versionsOf([stream, other])).toEqual([0, 0]);
    });
  });
}
