import { type Kysely, sql } from 'kysely';
import type { ReadStreamOptions, StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { type EventRow, toStoredEvent } from './stored-event.ts';

export async function readStream(
  db: Kysely<EventStoreSchema>,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<StoredEvent[]> {
  const { fromVersion = 1, maxCount, recordedAtOrBefore } = options;
  let query = db
    .selectFrom('events')
    .selectAll()
    .where('stream_id', '=', streamId)
    .where('stream_version', '>=', fromVersion)
    .orderBy('stream_version');
  if (recordedAtOrBefore !== undefined) query = query.where('recorded_at', '<=', recordedAtOrBefore);
  if (maxCount !== undefined) query = query.limit(maxCount);
  return (await query.execute()).map(toStoredEvent);
}

/** Where to start reading one of many streams. */
export interface StreamFrom {
  streamId: string;
  fromVersion: number;
}

/**
 * Many streams' events, each from its own version on, in one statement: a daily pass over thousands
 * of streams pays one round trip per batch, not one per stream. Grouped by stream, each in order.
 */
export async function readStreams(db: Kysely<EventStoreSchema>, from: readonly StreamFrom[]): Promise<StoredEvent[]> {
  if (from.length === 0) return [];
  const { rows } = await sql<EventRow>`
    select e.* from unnest(${from.map((f) => f.streamId)}::text[], ${from.map((f) => f.fromVersion)}::int[])
      as s(stream_id, from_version)
    join events e on e.stream_id = s.stream_id and e.stream_version >= s.from_version
    order by e.stream_id, e.stream_version`.execute(db);
  return rows.map(toStoredEvent);
}
