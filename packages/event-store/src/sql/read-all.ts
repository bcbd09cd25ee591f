import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type LogFilter, type ReadAllOptions, type ReadAllResult, START_OF_LOG } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { logPositionOf, parseLogPosition, type SqlLogPosition } from './log-position.ts';
import { type EventRow, toStoredEvent } from './stored-event.ts';

export const DEFAULT_READ_ALL_COUNT = 1000;
/** A read with stream or time filters looks at no more than this many events per event it may return. */
const DEFAULT_SCANNED_PER_EVENT = 10;

/**
 * Reads the global log after a position. Only transactions older than the oldest one still
 * running are read, in (transaction id, position) order: a position alone would let a reader pass
 * an event whose transaction commits late (docs/architecture.md, "Event store").
 */
export async function readAll(db: Kysely<EventStoreSchema>, options: ReadAllOptions = {}): Promise<ReadAllResult> {
  const { after = START_OF_LOG, maxCount = DEFAULT_READ_ALL_COUNT, filter = {} } = options;
  const from = parseLogPosition(after);
  if (filter.streamIdPrefixes !== undefined || filter.recordedSince !== undefined) {
    const maxScanned = Math.max(1, options.maxScanned ?? maxCount * DEFAULT_SCANNED_PER_EVENT);
    return readFiltered(db, { after, from, maxCount, maxScanned, filter });
  }
  // Every event this looks at is one it returns: the tenant has an index of its own in log order.
  let query = db
    .selectFrom('events')
    .selectAll()
    .where(isAfter(from))
    .where('transaction_id', '<', sql<bigint>`pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy('transaction_id')
    .orderBy('position')
    .limit(maxCount);
  if (filter.tenant !== undefined) query = query.where('tenant', '=', filter.tenant);
  const events = (await query.execute()).map(toStoredEvent);
  return { events, position: events.at(-1)?.logPosition ?? after };
}

const isAfter = (from: SqlLogPosition): RawBuilder<boolean> =>
  sql<boolean>`(transaction_id, position) > (${from.transactionId.toString()}::xid8, ${from.position.toString()}::bigint)`;

type FilteredRow = { [column in keyof EventRow]: EventRow[column] | null } & {
  scanned_to_transaction_id: bigint;
  scanned_to_position: bigint;
};

/**
 * A read whose filter refuses events the tenant's index cannot skip. In one statement it looks at
 * no more than `maxScanned` events after `from` (of the tenant, when there is one) that are safe to
 * read, and returns those the filter admits, up to `maxCount`, fetched by their position. Every
 * event up to the last one it looked at (`scanned_to`) is below the read horizon, so committed or
 * gone: the next read may continue after it.
 */
async function readFiltered(
  db: Kysely<EventStoreSchema>,
  read: {
    after: ReadAllResult['position'];
    from: SqlLogPosition;
    maxCount: number;
    maxScanned: number;
    filter: LogFilter;
  },
): Promise<ReadAllResult> {
  const { after, from, maxCount, maxScanned, filter } = read;
  const ofTenant = filter.tenant === undefined ? sql<boolean>`true` : sql<boolean>`tenant = ${filter.tenant}`;
  const admits: RawBuilder<boolean>[] = [];
  if (filter.streamIdPrefixes !== undefined) {
    admits.push(sql<boolean>`stream_id ^@ any(${[...filter.streamIdPrefixes]}::text[])`);
  }
  if (filter.recordedSince !== undefined) admits.push(sql<boolean>`recorded_at >= ${filter.recordedSince}`);
  const { rows } = await sql<FilteredRow>`
    with scanned as materialized (
      select transaction_id, position, ${sql.join(admits, sql` and `)} as admitted from events
      where ${ofTenant} and ${isAfter(from)}
        and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      order by transaction_id, position
      limit ${maxScanned}
    ),
    taken as (
      select position from scanned where admitted order by transaction_id, position limit ${maxCount}
    ),
    scanned_to as (
      select transaction_id, position from scanned order by transaction_id desc, position desc limit 1
    )
    select found.*, scanned_to.transaction_id as scanned_to_transaction_id, scanned_to.position as scanned_to_position
    from scanned_to left join (select events.* from taken join events using (position)) as found on true
    order by found.transaction_id, found.position`.execute(db);
  const edge = rows[0];
  if (edge === undefined) return { events: [], position: after };
  const events = rows.flatMap((row) => (row.event_id === null ? [] : [toStoredEvent(row as EventRow)]));
  // A full page may stop before the last event looked at: the next read continues after the page.
  const position =
    events.length === maxCount
      ? events.at(-1)!.logPosition
      : logPositionOf({ transactionId: edge.scanned_to_transaction_id, position: edge.scanned_to_position });
  return { events, position };
}
