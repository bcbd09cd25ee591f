import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { isEventIdConflict } from '../../src/errors/event-id-conflict.ts';
import { isStreamVersionConflict } from '../../src/errors/stream-version-conflict.ts';
import type { RecordedEvent } from '../../src/event-store.ts';
import { sequentialUuids, testEvent } from '../../src/testing/index.ts';
import { describeEachSqlStore, openTestStore } from './sql-stores.ts';

// Inline work of appendMany: it runs inside the transaction, after the insert.
describeEachSqlStore('inline work in appendMany’s transaction', (factory) => {
  const opened = openTestStore(factory);
  const nextId = sequentialUuids(22);
  let streams = 0;
  const newStream = (name: string) => `${name}-${++streams}`;
  const events = (count: number) => Array.from({ length: count }, () => testEvent(nextId()));
  const versionsOf = (streamIds: readonly string[]) =>
    Promise.all(streamIds.map((streamId) => opened.current.store.streamVersion(streamId)));

  beforeAll(async () => {
    await sql`create table test_claims (key text primary key, position bigint)`.execute(opened.current.db);
  });
  const claimed = async (key: string) => {
    const { rows } = await sql`select key, position from test_claims where key = ${key}`.execute(opened.current.db);
    return rows;
  };

  it('runs once inside the transaction with every event written, and reads what the transaction holds', async () => {
    const [a, b] = [newStream('inline'), newStream('inline')];
    let seen: readonly RecordedEvent[] = [];
    let runs = 0;
    let countInside = -1;
    let canRead: boolean | undefined;
    const results = await opened.current.store.appendMany(
      [
        { streamId: a, events: events(2), expectedVersion: 'no_stream' },
        { streamId: b, events: events(1), expectedVersion: 'no_stream' },
      ],
      {
        inline: async (appended, tx) => {
          runs++;
          seen = appended;
          canRead = tx.canRead;
          const [row] = await tx.select(
            sql<{ count: bigint }>`select count(*) as count from events where stream_id in (${a}, ${b})`,
          );
          countInside = Number(row!.count);
        },
      },
    );
    expect([runs, canRead, countInside]).toEqual([1, true, 3]);
    expect(seen).toEqual(results.flatMap((r) => r.events));
  });

  it('gives with positionOf the position each event got', async () => {
    const stream = newStream('positions');
    const keys: string[] = [];
    const [result] = await opened.current.store.appendMany(
      [{ streamId: stream, events: events(2), expectedVersion: 'no_stream' }],
      {
        inline: async (appended, tx) => {
          for (const event of appended) {
            keys.push(event.id);
            await tx.execute(
              sql`insert into test_claims (key, position) values (${event.id}, ${tx.positionOf(event)})`,
            );
          }
        },
      },
    );
    const stored = await Promise.all(keys.map(claimed));
    expect(stored).toEqual(result!.events.map((event) => [{ key: event.id, position: event.position }]));
  });

  it('passes on a unique violation from a write as it is, with nothing written', async () => {
    const key = `claim-${nextId()}`;
    const claim = (streamId: string) =>
      opened.current.store.appendMany([{ streamId, events: events(1), expectedVersion: 'no_stream' }], {
        inline: async (_appended, tx) => {
          await tx.execute(sql`insert into test_claims (key) values (${key})`);
        },
      });
    const owner = newStream('claim');
    await claim(owner);
    const loser = newStream('claim');
    const error = await claim(loser).catch((e: unknown) => e);
    expect(isStreamVersionConflict(error) || isEventIdConflict(error)).toBe(false);
    expect(error).toMatchObject({ code: '23505' });
    expect(await versionsOf([owner, loser])).toEqual([1, 0]);
  });

  it('rolls its own writes back with every stream when it throws', async () => {
    const [a, b] = [newStream('throws'), newStream('throws')];
    const key = `rolled-back-${nextId()}`;
    const refusal = new Error('one bad row');
    let effects = 0;
    const attempt = opened.current.store.appendMany(
      [
        { streamId: a, events: events(1), expectedVersion: 'no_stream' },
        { streamId: b, events: events(2), expectedVersion: 'no_stream' },
      ],
      {
        inline: async (_appended, tx) => {
          tx.afterCommit(() => effects++);
          await tx.execute(sql`insert into test_claims (key) values (${key})`);
          expect(await tx.select(sql`select key from test_claims where key = ${key}`)).toEqual([{ key }]);
          throw refusal;
        },
      },
    );
    await expect(attempt).rejects.toBe(refusal);
    expect(effects).toBe(0);
    expect(await claimed(key)).toEqual([]);
    expect(await versionsOf([a, b])).toEqual([0, 0]);
  });
});
