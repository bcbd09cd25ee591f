import { type Kysely, sql } from 'kysely';
import { type ReadAllOptions, type ReadAllResult, START_OF_LOG } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { parseLogPosition } from './log-position.ts';
import { toStoredEvent } from './stored-event.ts';

export const DEFAULT_READ_ALL_COUNT = 1000;

/**
 * Reads the global log after a position. Only transactions older than the oldest one still
 * running are read, in (transaction id, position) order: a position alone would let a reader pass
 * an event whose transaction commits late (docs/architecture.md, "Event store").
 */
export async function readAll(db: Kysely<EventStoreSchema>, options: ReadAllOptions = {}): Promise<ReadAllResult> {
  const { after = START_OF_LOG, maxCount = DEFAULT_READ_ALL_COUNT } = options;
  const from = parseLogPosition(after);
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where(
      sql`(transaction_id, position)`,
      '>',
      sql`(${from.transactionId.toString()}::xid8, ${from.position.toString()}::bigint)`,
    )
    .where('transaction_id', '<', sql<bigint>`pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy('transaction_id')
    .orderBy('position')
    .limit(maxCount)
    .execute();
  const events = rows.map(toStoredEvent);
  return { events, position: events.at(-1)?.logPosition ?? after };
}
