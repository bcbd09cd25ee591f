import pg from 'pg';
import { expect, it } from 'vitest';
import type { StoredEvent } from '../../src/event-store.ts';
import { parseLogPosition } from '../../src/sql/log-position.ts';
import { endOfLog, readUntil, sequentialUuids, testEvent } from '../../src/testing/index.ts';
import { describeEachSqlStore, openTestStore, singleConnection } from './sql-stores.ts';

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

// readAll must never pass an event whose transaction commits late ("Gap-free read").
describeEachSqlStore(
  'reading past transactions that commit late',
  (factory) => {
    const opened = openTestStore(factory, { poolSize: 12 });
    const nextId = sequentialUuids(24);

    it('does not deliver a later commit while an earlier append is still open, and then delivers both', async () => {
      const { store } = opened.current;
      const after = await endOfLog(store);
      const release = gate();
      const inserted = gate();
      const slowEvent = testEvent(nextId());
      // appendMany's inline work holds its transaction open after the insert, as a slow writer would.
      const slow = store.appendMany([{ streamId: 'gap-slow', events: [slowEvent], expectedVersion: 'no_stream' }], {
        inline: async () => {
          inserted.open();
          await release.opened;
        },
      });
      await inserted.opened;
      const fast = await store.append('gap-fast', [testEvent(nextId())], { expectedVersion: 'no_stream' });
      const fastId = fast.events[0]!.id;

      const whileOpen = await store.readAll({ after });
      expect(whileOpen.events.map((event) => event.id)).not.toContain(fastId);
      expect(whileOpen.events.map((event) => event.id)).not.toContain(slowEvent.id);

      release.open();
      const [slowResult] = await slow;
      expect(slowResult!.events[0]!.position).toBeLessThan(fast.events[0]!.position);
      const mine = (events: StoredEvent[]) => events.filter((event) => event.streamId.startsWith('gap-'));
      const { events } = await readUntil(store, whileOpen.position, (read) => mine(read).length === 2);
      expect(mine(events).map((event) => event.id)).toEqual([slowEvent.id, fastId]);
    });

    it('does not skip an event at a lower position whose transaction commits after a reader passed a higher one', async () => {
      // The interleaving that breaks readers that continue by position alone.
      const { store, connectionString } = opened.current;
      const after = await endOfLog(store);
      const older = new pg.Client({ connectionString });
      await older.connect();
      try {
        await older.query('begin');
        await older.query('select pg_current_xact_id()');
        const release = gate();
        const inserted = gate();
        const younger = store.appendMany(
          [{ streamId: 'interleave-younger', events: [testEvent(nextId())], expectedVersion: 'no_stream' }],
          {
            inline: async () => {
              inserted.open();
              await release.opened;
            },
          },
        );
        await inserted.opened;
        const olderId = nextId();
        await older.query(
          `insert into events (stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at, hash)
           values ('interleave-older', 1, $1, 'SomethingHappened', 1, '{}', '{}', now(), 'not-chained')`,
          [olderId],
        );
        await older.query('commit');

        const mine = (events: StoredEvent[]) => events.filter((event) => event.streamId.startsWith('interleave-'));
        const first = await readUntil(store, after, (read) => mine(read).length >= 1);
        expect(mine(first.events).map((event) => event.id)).toEqual([olderId]);

        release.open();
        const [youngerResult] = await younger;
        const youngerEvent = youngerResult!.events[0]!;
        const olderEvent = first.events.at(-1)!;
        // The younger event has the lower position, but its transaction began after the older one's.
        expect(youngerEvent.position).toBeLessThan(olderEvent.position);
        expect(parseLogPosition(youngerEvent.logPosition).transactionId).toBeGreaterThan(
          parseLogPosition(olderEvent.logPosition).transactionId,
        );
        const second = await readUntil(store, first.position, (read) => mine(read).length >= 1);
        expect(mine(second.events).map((event) => event.id)).toEqual([youngerEvent.id]);
      } finally {
        await older.end();
      }
    });

    it('does not pass over an open append with a filter, even one that refuses everything read meanwhile', async () => {
      const { store } = opened.current;
      const after = await endOfLog(store);
      const release = gate();
      const inserted = gate();
      const slowEvent = testEvent(nextId());
      const slow = store.appendMany([{ streamId: 'wanted-slow', events: [slowEvent], expectedVersion: 'no_stream' }], {
        inline: async () => {
          inserted.open();
          await release.opened;
        },
      });
      await inserted.opened;
      const refused = await store.append('refused-fast', [testEvent(nextId())], { expectedVersion: 'no_stream' });
      const filter = { streamIdPrefixes: ['wanted-'] };
      const whileOpen = await store.readAll({ after, filter, maxScanned: 1 });
      expect(whileOpen).toEqual({ events: [], position: after });

      release.open();
      await slow;
      const { events } = await readUntil(store, whileOpen.position, (read) =>
        read.some((event) => event.id === refused.events[0]!.id),
      );
      expect(events.map((event) => event.id)).toContain(slowEvent.id);
      let position = whileOpen.position;
      const wanted: StoredEvent[] = [];
      for (let page = 0; wanted.length === 0 && page < 100; page++) {
        const read = await store.readAll({ after: position, filter, maxScanned: 1 });
        wanted.push(...read.events);
        if (read.position === position) await store.waitForEvents(20);
        position = read.position;
      }
      expect(wanted.map((event) => event.id)).toEqual([slowEvent.id]);
    });
  },
  singleConnection,
);
