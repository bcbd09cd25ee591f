import { type Kysely, sql } from 'kysely';
import { type LogPosition, type ReadAllOptions, type ReadAllResult, START_OF_LOG } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { parseLogPosition } from './log-position.ts';
import { DEFAULT_READ_ALL_COUNT } from './read-all.ts';
import { toStoredEvent } from './stored-event.ts';

/**
 * Reads every committed event after a position, in log order, through a handle on the store's
 * database, with no read horizon: only for a reader that keeps writers out while it reads (a
 * migration that locks the log and replays a read model). `upTo` ends the read at a position given
 * out before (included). Anyone else uses `EventStore.readAll`,
 * which never skips an event that commits late.
 */
export async function readCommittedLog(
  db: Kysely<object>,
  options: Pick<ReadAllOptions, 'after' | 'maxCount'> & { types?: readonly string[]; upTo?: LogPosition } = {},
): Promise<ReadAllResult> {
  const { after = START_OF_LOG, maxCount = DEFAULT_READ_ALL_COUNT, types, upTo } = options;
  const from = parseLogPosition(after);
  let query = db
    .withTables<EventStoreSchema>()
    .selectFrom('events')
    .selectAll()
    .where(
      sql`(transaction_id, position)`,
      '>',
      sql`(${from.transactionId.toString()}::xid8, ${from.position.toString()}::bigint)`,
    )
    .orderBy('transaction_id')
    .orderBy('position')
    .limit(maxCount);
  if (types !== undefined) query = query.where('type', 'in', [...types]);
  if (upTo !== undefined) {
    const last = parseLogPosition(upTo);
    query = query.where(
      sql`(transaction_id, position)`,
      '<=',
      sql`(${last.transactionId.toString()}::xid8, ${last.position.toString()}::bigint)`,
    );
  }
  const events = (await query.execute()).map(toStoredEvent);
  return { events, position: events.at(-1)?.logPosition ?? after };
}

/** How many events are in the log after a position (a runner's lag), counting no further than `upTo`. */
export async function countEventsAfter<DB>(db: Kysely<DB>, after: LogPosition, upTo = 1_000_000): Promise<number> {
  const from = parseLogPosition(after);
  const { rows } = await sql<{ count: string | number | bigint }>`
    select count(*) as count from (
      select 1 from events
      where (transaction_id, position) > (${from.transactionId.toString()}::xid8, ${from.position.toString()}::bigint)
      limit ${upTo}
    ) as tail`.execute(db);
  return Number(rows[0]?.count ?? 0);
}
