import { expect, it } from 'vitest';
import { type LogPosition, START_OF_LOG, type StoredEvent } from '../../src/event-store.ts';
import { isLogPosition, parseLogPosition, type SqlLogPosition } from '../../src/sql/log-position.ts';
import { endOfLog, sequentialUuids, testEvent } from '../../src/testing/index.ts';
import { describeEachSqlStore, eventsOf, openTestStore } from './sql-stores.ts';

/** Orders positions as readAll does: by transaction id, then position. */
function compare(a: SqlLogPosition, b: SqlLogPosition): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  return a.position === b.position ? 0 : a.position < b.position ? -1 : 1;
}

describeEachSqlStore('log positions', (factory) => {
  const opened = openTestStore(factory, { poolSize: 12 });
  const nextId = sequentialUuids(23);

  it('spells a position as the writing transaction’s id and the event’s global position', async () => {
    const { store, db } = opened.current;
    const { events } = await store.append('spelled', [testEvent(nextId())], { expectedVersion: 'no_stream' });
    const row = await eventsOf(db)
      .selectFrom('events')
      .select(['transaction_id', 'position'])
      .where('event_id', '=', events[0]!.id)
      .executeTakeFirstOrThrow();
    expect(events[0]!.logPosition).toBe(`${row.transaction_id}:${row.position}`);
    expect(parseLogPosition(events[0]!.logPosition)).toEqual({
      transactionId: row.transaction_id,
      position: events[0]!.position,
    });
    expect((await store.readStream('spelled'))[0]!.logPosition).toBe(events[0]!.logPosition);
  });

  it('gives the events of one append, and of one appendMany, one transaction', async () => {
    const { store } = opened.current;
    const transactions = (events: readonly StoredEvent[]) =>
      new Set(events.map((event) => parseLogPosition(event.logPosition).transactionId));
    const single = await store.append('one-tx', [testEvent(nextId()), testEvent(nextId()), testEvent(nextId())], {
      expectedVersion: 'no_stream',
    });
    expect(transactions(single.events).size).toBe(1);
    const many = await store.appendMany([
      { streamId: 'one-tx-a', events: [testEvent(nextId()), testEvent(nextId())], expectedVersion: 'no_stream' },
      { streamId: 'one-tx-b', events: [testEvent(nextId())], expectedVersion: 'no_stream' },
    ]);
    expect(transactions(many.flatMap((result) => result.events)).size).toBe(1);
    expect([...transactions(many.flatMap((result) => result.events))]).not.toEqual([...transactions(single.events)]);
  });

  it('reads the log in (transaction id, position) order while writers append alongside', async () => {
    const { store } = opened.current;
    const writers = 6;
    const perWriter = 100;
    const after = await endOfLog(store);
    let writing = true;
    const seen: StoredEvent[] = [];
    const reader = (async () => {
      let position = after;
      while (writing || seen.length < writers * perWriter) {
        const page = await store.readAll({ after: position, maxCount: 50 });
        if (page.events.length > 0) {
          expect(compare(parseLogPosition(page.position), parseLogPosition(position))).toBe(1);
        } else {
          await store.waitForEvents(20);
        }
        for (const event of page.events) if (event.streamId.startsWith('ordered-')) seen.push(event);
        position = page.position;
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let version = 0; version < perWriter; version++) {
          const client = version % 2 === 0 ? store : opened.current.another();
          await client.append(`ordered-${writer}`, [testEvent(nextId())], { expectedVersion: version });
        }
      }),
    ).finally(() => {
      writing = false;
    });
    await reader;
    expect(seen).toHaveLength(writers * perWriter);
    for (let i = 1; i < seen.length; i++) {
      expect(compare(parseLogPosition(seen[i - 1]!.logPosition), parseLogPosition(seen[i]!.logPosition))).toBe(-1);
    }
  }, 60_000);

  it('spells the start of the log as transaction 0, position 0, and refuses a position it did not give out', async () => {
    expect(parseLogPosition(START_OF_LOG)).toEqual({ transactionId: 0n, position: 0n });
    const tooLarge = ['18446744073709551616:1', '1:9223372036854775808', '99999999999999999999:1'];
    for (const position of ['', 'start', '12', '1:2:3', '-1:5', '1:x', ...tooLarge]) {
      await expect(opened.current.store.readAll({ after: position as LogPosition })).rejects.toThrow(TypeError);
      expect(isLogPosition(position)).toBe(false);
    }
    expect(isLogPosition('18446744073709551615:9223372036854775807')).toBe(true);
    expect(isLogPosition(START_OF_LOG)).toBe(true);
  });
});
