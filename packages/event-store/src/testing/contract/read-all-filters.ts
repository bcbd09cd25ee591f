import { describe, expect, it } from 'vitest';
import type { EventStore, LogFilter, LogPosition, NewEvent, StoredEvent } from '../../event-store.ts';
import { endOfLog, readUntil } from '../read-log.ts';
import { sequentialUuids, TEST_METADATA, testEvent } from '../test-events.ts';
import {
  describeUnless,
  type EventStoreContractFactory,
  openStore,
  pause,
  singleConnection,
  streamNames,
} from './context.ts';

/** An event recorded by a caller of `tenant`. */
const eventOf = (tenant: string, id: string, fields: Partial<Omit<NewEvent, 'id'>> = {}): NewEvent =>
  testEvent(id, { metadata: { ...TEST_METADATA, actor: { ...TEST_METADATA.actor, tenant } }, ...fields });

/**
 * Reads with `filter` from `after` until `isDone` holds for what was read, a page of `maxCount` at
 * a time; each page must end after its last event, and never before where it began.
 */
async function readFiltered(
  store: EventStore,
  after: LogPosition,
  filter: LogFilter,
  isDone: (events: StoredEvent[]) => boolean,
  { maxCount = 1000, maxScanned }: { maxCount?: number; maxScanned?: number } = {},
): Promise<{ events: StoredEvent[]; position: LogPosition; pages: number }> {
  const deadline = Date.now() + 10_000;
  const events: StoredEvent[] = [];
  let position = after;
  let pages = 0;
  while (!isDone(events)) {
    if (Date.now() > deadline) throw new Error(`The filtered read saw only ${events.length} events.`);
    const page = await store.readAll({
      after: position,
      maxCount,
      filter,
      ...(maxScanned === undefined ? {} : { maxScanned }),
    });
    pages++;
    expect(page.events.length).toBeLessThanOrEqual(maxCount);
    if (page.events.length > 0) {
      // A page may end past its last event (events the filter refused), never before it.
      const last = page.events.at(-1)!.logPosition;
      const continued = await store.readAll({ after: page.position, maxCount: 1, filter });
      expect(continued.events.map((event) => event.logPosition)).not.toContain(last);
    }
    events.push(...page.events);
    if (page.events.length === 0 && page.position === position) await store.waitForEvents(20);
    position = page.position;
  }
  return { events, position, pages };
}

const ids = (events: readonly StoredEvent[]) => events.map((event) => event.id);

export function describeReadAllFilters(factory: EventStoreContractFactory): void {
  describe('readAll with a filter', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(15);
    const newStream = streamNames();

    it("reads one tenant's events in log order, page by page, and never another tenant's", async () => {
      const { store } = opened;
      const after = await endOfLog(store);
      const ours: string[] = [];
      for (let i = 0; i < 6; i++) {
        const id = nextId();
        ours.push(id);
        await store.append(newStream('tenant-a'), [eventOf('301', id)], { expectedVersion: 'no_stream' });
        await store.append(newStream('tenant-b'), [eventOf('302', nextId()), eventOf('302', nextId())], {
          expectedVersion: 'no_stream',
        });
      }
      const { events } = await readFiltered(store, after, { tenant: '301' }, (read) => read.length >= 6, {
        maxCount: 2,
      });
      expect(ids(events)).toEqual(ours);
      expect(events.every((event) => event.metadata.actor.tenant === '301')).toBe(true);
      const whole = await readFiltered(store, after, { tenant: '301' }, (read) => read.length >= 6);
      expect(whole.events).toEqual(events);
      expect(whole.pages).toBe(1);
      // Nobody has recorded anything for this tenant: nothing, and the position it was given.
      expect(await store.readAll({ after, filter: { tenant: '399' } })).toEqual({ events: [], position: after });
    });

    it('reads only the streams whose id starts with a prefix, taking the prefix literally', async () => {
      const { store } = opened;
      const after = await endOfLog(store);
      const wanted: string[] = [];
      for (const stream of ['pre_fix-1', 'prexfix-2', 'other-3', 'pre_fix-4', 'pre%-5', 'prefab-6']) {
        const id = nextId();
        if (stream.startsWith('pre_fix-') || stream.startsWith('prefab-')) wanted.push(id);
        await store.append(stream, [eventOf('303', id)], { expectedVersion: 'no_stream' });
      }
      const filter = { tenant: '303', streamIdPrefixes: ['pre_fix-', 'prefab-'] };
      const { events, position } = await readFiltered(store, after, filter, (read) => read.length >= 3);
      expect(ids(events)).toEqual(wanted);
      // Nothing left for the filter after the last page; and an empty list of prefixes admits nothing.
      expect((await store.readAll({ after: position, filter })).events).toEqual([]);
      expect((await store.readAll({ after, filter: { tenant: '303', streamIdPrefixes: [] } })).events).toEqual([]);
    });

    it('reads only the events recorded at or after an instant', async () => {
      const { store } = opened;
      const after = await endOfLog(store);
      const stream = newStream('since');
      await store.append(stream, [eventOf('304', nextId())], { expectedVersion: 'no_stream' });
      await pause(5);
      const since = new Date();
      await pause(5);
      const later = await store.append(stream, [eventOf('304', nextId()), eventOf('304', nextId())], {
        expectedVersion: 1,
      });
      const { events } = await readFiltered(store, after, { tenant: '304', recordedSince: since }, (read) => {
        return read.length >= 2;
      });
      expect(events).toEqual(later.events);
      // At or after: an event recorded at the very instant is read.
      const exact = later.events[1]!.recordedAt;
      const { events: fromExact } = await readFiltered(store, after, { tenant: '304', recordedSince: exact }, (read) =>
        read.some((event) => event.id === later.events[1]!.id),
      );
      expect(fromExact.every((event) => event.recordedAt.getTime() >= exact.getTime())).toBe(true);
    });

    it('looks at a bounded number of events per read, returning a position past those it passed over', async () => {
      const { store } = opened;
      const after = await endOfLog(store);
      const wanted: string[] = [];
      for (let i = 0; i < 4; i++) {
        await store.append(
          newStream('bounded-noise'),
          Array.from({ length: 5 }, () => eventOf('305', nextId())),
          { expectedVersion: 'no_stream' },
        );
        const id = nextId();
        wanted.push(id);
        await store.append(newStream('bounded-wanted'), [eventOf('305', id)], { expectedVersion: 'no_stream' });
      }
      const filter = { tenant: '305', streamIdPrefixes: ['bounded-wanted-'] };
      // On a shared server another session's transaction may hold the horizon back: once every event
      // appended here can be read, what a bounded read passes over no longer depends on it.
      await readUntil(store, after, (read) => read.some((event) => event.id === wanted.at(-1)));
      // Five refused events come first: a read that may look at three returns nothing, yet moves on.
      const first = await store.readAll({ after, filter, maxScanned: 3 });
      expect(first.events).toEqual([]);
      expect(first.position).not.toBe(after);
      const unfiltered = await store.readAll({ after, filter: { tenant: '305' }, maxCount: 3 });
      expect(first.position).toBe(unfiltered.events[2]!.logPosition);
      const { events, pages } = await readFiltered(store, after, filter, (read) => read.length >= 4, {
        maxScanned: 3,
      });
      expect(ids(events)).toEqual(wanted);
      expect(pages).toBeGreaterThanOrEqual(8);
      // A full page stops at its last event, even when it looked further.
      const full = await store.readAll({ after, filter, maxCount: 1, maxScanned: 100 });
      expect(ids(full.events)).toEqual([wanted[0]]);
      expect(full.position).toBe(full.events[0]!.logPosition);
    });
  });

  describeUnless(singleConnection(factory), 'readAll with a filter alongside concurrent writers', () => {
    const opened = openStore(factory, { poolSize: 12 });
    const nextId = sequentialUuids(16);

    it("delivers every event of a tenant's streams of interest from 8 writers exactly once, in order", async () => {
      const { store } = opened;
      const writers = 8;
      const perWriter = 150;
      // Half the writers write streams the filter keeps, half those it refuses; one in three
      // events of each is another tenant's.
      const expected = (writers / 2) * Math.ceil((perWriter * 2) / 3);
      const after = await endOfLog(store);
      let writing = true;
      const filter = { tenant: '306', streamIdPrefixes: ['kept-'] };
      const seen: StoredEvent[] = [];
      const reader = (async () => {
        let position = after;
        const deadline = Date.now() + 90_000;
        while (writing || seen.length < expected) {
          if (Date.now() > deadline) throw new Error(`The reader saw only ${seen.length} events.`);
          const page = await store.readAll({ after: position, maxCount: 50, filter, maxScanned: 60 });
          seen.push(...page.events);
          if (page.events.length === 0) await store.waitForEvents(20);
          position = page.position;
        }
      })();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          const stream = `${writer % 2 === 0 ? 'kept' : 'refused'}-${writer}`;
          const client = writer % 4 < 2 ? store : opened.another();
          for (let version = 0; version < perWriter; version++) {
            await client.append(stream, [eventOf(version % 3 === 2 ? '307' : '306', nextId())], {
              expectedVersion: version,
            });
          }
        }),
      ).finally(() => {
        writing = false;
      });
      await reader;
      expect(seen).toHaveLength(expected);
      expect(new Set(ids(seen)).size).toBe(expected);
      expect(seen.every((event) => event.streamId.startsWith('kept-'))).toBe(true);
      expect(seen.every((event) => event.metadata.actor.tenant === '306')).toBe(true);
      // In log order: as an unfiltered read of the whole log has them.
      const { events: all } = await readFiltered(store, after, {}, (read) => read.length >= writers * perWriter);
      const kept = new Set(ids(seen));
      expect(ids(all.filter((event) => kept.has(event.id)))).toEqual(ids(seen));
    }, 120_000);
  });
}
