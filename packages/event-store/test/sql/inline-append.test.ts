import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { isEventIdConflict } from '../../src/errors/event-id-conflict.ts';
import { isStreamVersionConflict } from '../../src/errors/stream-version-conflict.ts';
import type { InlineWork, RecordedEvent } from '../../src/event-store.ts';
import type { ReadModelTx } from '../../src/read-model-tx.ts';
import { sequentialUuids, testEvent } from '../../src/testing/index.ts';
import { countingStore, describeEachSqlStore, openTestStore } from './sql-stores.ts';

// Inline work of a single append: its writes go into the insert's one statement.
describeEachSqlStore('inline writes in an append’s statement', (factory) => {
  const opened = openTestStore(factory);
  const nextId = sequentialUuids(21);
  let streams = 0;
  const newStream = (name: string) => `${name}-${++streams}`;

  beforeAll(async () => {
    await sql`
      create table test_inline (
        key text not null constraint test_inline_key_unique unique,
        stream_id text not null,
        first_position bigint,
        last_version integer,
        writes integer not null default 1
      )`.execute(opened.current.db);
    await sql`create table test_positions (event_id uuid primary key, position bigint not null)`.execute(
      opened.current.db,
    );
  });

  // Records the events under the key, counting each write that takes effect. A plain insert: it
  // needs no guard, since nothing of it remains when no event goes in.
  const record = (tx: ReadModelTx, key: string, events: readonly RecordedEvent[]) =>
    tx.execute(sql`
      insert into test_inline (key, stream_id, first_position, last_version)
      values (${key}, ${events[0]!.streamId}, ${tx.positionOf(events[0]!)}, ${events.at(-1)!.version})
      on conflict (key) do update set writes = test_inline.writes + 1, last_version = excluded.last_version`);
  // Claims the key; a second claim breaks the unique constraint.
  const claim = (tx: ReadModelTx, key: string, events: readonly RecordedEvent[]) =>
    tx.execute(sql`insert into test_inline (key, stream_id) values (${key}, ${events[0]!.streamId})`);
  const recorded = async (key: string) => {
    const { rows } = await sql`
      select stream_id, first_position, last_version, writes from test_inline where key = ${key}`.execute(
      opened.current.db,
    );
    return rows;
  };

  it('commits with the events, all in one statement', async () => {
    const stream = newStream('inline');
    const [first, second] = [`first-${nextId()}`, `second-${nextId()}`];
    const { counted, sent } = countingStore(opened.current);
    let canRead: boolean | undefined;
    const { events } = await counted.append(stream, [testEvent(nextId()), testEvent(nextId())], {
      expectedVersion: 'no_stream',
      inline: async (appended, tx) => {
        canRead = tx.canRead;
        await record(tx, first, appended);
        await claim(tx, second, appended);
      },
    });
    expect(canRead).toBe(false);
    expect(sent).toHaveLength(1);
    expect(await recorded(first)).toEqual([
      { stream_id: stream, first_position: events[0]!.position, last_version: 2, writes: 1 },
    ]);
    expect(await recorded(second)).toEqual([
      { stream_id: stream, first_position: null, last_version: null, writes: 1 },
    ]);
  });

  it('gives with positionOf the position each event got', async () => {
    const stream = newStream('positions');
    const { events } = await opened.current.store.append(
      stream,
      [testEvent(nextId()), testEvent(nextId()), testEvent(nextId())],
      {
        expectedVersion: 'no_stream',
        inline: async (appended, tx) => {
          for (const event of appended) {
            await tx.execute(
              sql`insert into test_positions (event_id, position) values (${event.id}::uuid, ${tx.positionOf(event)})`,
            );
          }
        },
      },
    );
    const { rows } = await sql<{ event_id: string; position: bigint }>`
      select event_id, position from test_positions
      where event_id = any(${events.map((event) => event.id)}::uuid[]) order by position`.execute(opened.current.db);
    expect(rows).toEqual(events.map((event) => ({ event_id: event.id, position: event.position })));
    expect(new Set(rows.map((row) => row.position)).size).toBe(3);
  });

  it('stores nothing and passes on the original error when a write breaks a unique constraint', async () => {
    const { store } = opened.current;
    const key = `upn-${nextId()}`;
    const owner = newStream('claim');
    await store.append(owner, [testEvent(nextId())], {
      expectedVersion: 'no_stream',
      inline: (events, tx) => claim(tx, key, events),
    });
    const loser = newStream('claim');
    const beside = `beside-${nextId()}`;
    let effects = 0;
    const error = await store
      .append(loser, [testEvent(nextId())], {
        expectedVersion: 'no_stream',
        inline: async (events, tx) => {
          tx.afterCommit(() => effects++);
          await record(tx, beside, events);
          await claim(tx, key, events);
        },
      })
      .catch((e: unknown) => e);
    expect(isStreamVersionConflict(error) || isEventIdConflict(error)).toBe(false);
    expect(error).toMatchObject({ code: '23505', constraint: 'test_inline_key_unique' });
    expect(effects).toBe(0);
    expect(await store.streamVersion(loser)).toBe(0);
    expect(await recorded(beside)).toEqual([]);
    expect(await recorded(key)).toMatchObject([{ stream_id: owner }]);
  });

  it('runs no write for a repeat', async () => {
    const { store } = opened.current;
    const stream = newStream('inline-repeat');
    const key = `repeat-${nextId()}`;
    const batch = [testEvent(nextId())];
    const inline: InlineWork = (events, tx) => record(tx, key, events);
    await store.append(stream, batch, { expectedVersion: 'no_stream', inline });
    const again = await store.append(stream, batch, { expectedVersion: 'no_stream', inline });
    const withAny = await store.append(stream, batch, { expectedVersion: 'any', inline });
    const elsewhere = await opened.current.another().append(stream, batch, { expectedVersion: 'any', inline });
    expect([again.wasRepeat, withAny.wasRepeat, elsewhere.wasRepeat]).toEqual([true, true, true]);
    expect(await recorded(key)).toMatchObject([{ writes: 1 }]);
  });

  it('leaves no effect when a remembered head no longer holds, then refuses the stale version', async () => {
    const { store, tamper } = opened.current;
    const stream = newStream('inline-vanished');
    const key = `vanished-${nextId()}`;
    await store.append(stream, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 'no_stream' });
    await tamper!.remove(stream, 2);
    let runs = 0;
    let effects = 0;
    const attempt = store.append(stream, [testEvent(nextId())], {
      expectedVersion: 2,
      inline: async (events, tx) => {
        runs++;
        tx.afterCommit(() => effects++);
        await record(tx, key, events);
      },
    });
    await expect(attempt).rejects.toMatchObject({ name: 'StreamVersionConflict', actual: 1 });
    // The work ran for the insert that found the head gone; none of it was kept.
    expect([runs, effects]).toEqual([1, 0]);
    expect(await recorded(key)).toEqual([]);
    expect(await store.streamVersion(stream)).toBe(1);
  });

  it('writes once when an append with any retries after a remembered head no longer holds', async () => {
    const { store, tamper } = opened.current;
    const stream = newStream('inline-retry');
    const key = `retry-${nextId()}`;
    await store.append(stream, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 'no_stream' });
    await tamper!.remove(stream, 2);
    let runs = 0;
    let effects = 0;
    const { events } = await store.append(stream, [testEvent(nextId())], {
      expectedVersion: 'any',
      inline: async (appended, tx) => {
        runs++;
        tx.afterCommit(() => effects++);
        await record(tx, key, appended);
      },
    });
    expect(events.map((event) => event.version)).toEqual([2]);
    expect([runs, effects]).toEqual([2, 1]);
    expect(await recorded(key)).toEqual([
      { stream_id: stream, first_position: events[0]!.position, last_version: 2, writes: 1 },
    ]);
  });

  it('refuses tx.select in the statement, sending nothing', async () => {
    const stream = newStream('inline-select');
    const { counted, sent } = countingStore(opened.current);
    const attempt = counted.append(stream, [testEvent(nextId())], {
      expectedVersion: 'no_stream',
      inline: async (events, tx) => {
        await record(tx, `fine-${nextId()}`, events);
        await tx.select(sql`select count(*) from test_inline`);
      },
    });
    await expect(attempt).rejects.toThrow(TypeError);
    expect(sent).toEqual([]);
    expect(await opened.current.store.streamVersion(stream)).toBe(0);
  });
});
