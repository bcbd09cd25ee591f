import { describe, expect, it } from 'vitest';
import { START_OF_LOG, type StoredEvent } from '../../event-store.ts';
import { endOfLog, readUntil } from '../read-log.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, openStore, streamNames } from './context.ts';

export function describeReadAll(factory: EventStoreContractFactory): void {
  describe('readAll', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(6);
    const newStream = streamNames();

    it('reads nothing from an empty log and stays at its start', async () => {
      expect(await opened.store.readAll()).toEqual({ events: [], position: START_OF_LOG });
      expect(await opened.store.readAll({ after: START_OF_LOG })).toEqual({ events: [], position: START_OF_LOG });
    });

    it('reads the log in append order, page by page, each page continuing after the last one', async () => {
      const { store } = opened;
      const after = await endOfLog(store);
      const a = newStream('log-a');
      const b = newStream('log-b');
      const ids = [nextId(), nextId(), nextId(), nextId()];
      await store.append(a, [testEvent(ids[0]!)], { expectedVersion: 'no_stream' });
      await store.append(b, [testEvent(ids[1]!), testEvent(ids[2]!)], { expectedVersion: 'no_stream' });
      await store.append(a, [testEvent(ids[3]!)], { expectedVersion: 1 });
      const mine = (events: StoredEvent[]) => events.filter((event) => event.streamId === a || event.streamId === b);
      const read: StoredEvent[] = [];
      let position = after;
      const deadline = Date.now() + 10_000;
      while (mine(read).length < ids.length) {
        expect(Date.now()).toBeLessThan(deadline);
        const page = await store.readAll({ after: position, maxCount: 1 });
        expect(page.events.length).toBeLessThanOrEqual(1);
        // A page ends where its last event is; an empty one where it started.
        expect(page.position).toBe(page.events.at(-1)?.logPosition ?? position);
        read.push(...page.events);
        if (page.events.length === 0) await store.waitForEvents(20);
        position = page.position;
      }
      expect(mine(read).map((event) => event.id)).toEqual(ids);
      expect(new Set(read.map((event) => event.id)).size).toBe(read.length);
      const rest = await store.readAll({ after: position });
      expect(rest.events.filter((event) => ids.includes(event.id))).toEqual([]);
    });

    it('reads events as readStream and append give them, with increasing global positions', async () => {
      const { store } = opened;
      const after = await endOfLog(store);
      const stream = newStream('log-as-stored');
      const { events } = await store.append(stream, [testEvent(nextId()), testEvent(nextId())], {
        expectedVersion: 'no_stream',
      });
      // Another session's open transaction on a shared server can hold the read horizon back a moment.
      const mine = (read: StoredEvent[]) => read.filter((event) => event.streamId === stream);
      const page = await readUntil(store, after, (read) => mine(read).length === 2);
      expect(mine(page.events)).toEqual(events);
      expect(await store.readStream(stream)).toEqual(events);
      expect(events[0]!.position).toBeLessThan(events[1]!.position);
    });

    it('returns the position it was given when nothing follows it', async () => {
      const { store } = opened;
      const end = await endOfLog(store);
      expect(end).not.toBe(START_OF_LOG);
      expect(await store.readAll({ after: end })).toEqual({ events: [], position: end });
    });

    it('counts the events after a position, up to a bound', async () => {
      const { store } = opened;
      const after = await endOfLog(store);
      await store.append(newStream('counted'), [testEvent(nextId()), testEvent(nextId()), testEvent(nextId())], {
        expectedVersion: 'no_stream',
      });
      await readUntil(store, after, (read) => read.length >= 3);
      expect(await store.countEventsAfter(after)).toBe(3);
      expect(await store.countEventsAfter(after, 2)).toBe(2);
      expect(await store.countEventsAfter(await endOfLog(store))).toBe(0);
    });
  });
}
