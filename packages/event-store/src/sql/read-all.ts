import { type Kysely, sql } from 'kysely';
import { type ReadAllOptions, type ReadAllResult, START_OF_LOG } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { toStoredEvent } from './stored-event.ts';

export const DEFAULT_READ_ALL_COUNT = 1000;

/**
 * Reads the global log after a checkpoint. Only transactions older than the oldest one still
 * running are read, in (transaction id, position) order: a position alone would let a reader pass
 * an event whose transaction commits late (DESIGN.md, "Event store").
 */
export async function readAll(db: Kysely<EventStoreSchema>, options: ReadAllOptions = {}): Promise<ReadAllResult> {
  const { after = START_OF_LOG, maxCount = DEFAULT_READ_ALL_COUNT } = options;
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where(
      sql`(transaction_id, position)`,
      '>',
      sql`(${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint)`,
    )
    .where('transaction_id', '<', sql<bigint>`pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy('transaction_id')
    .orderBy('position')
    .limit(maxCount)
    .execute();
  const events = rows.map(toStoredEvent);
  const last = events.at(-1);
  return {
    events,
    checkpoint: last === undefined ? after : { transactionId: last.transactionId, position: last.position },
  };
}
