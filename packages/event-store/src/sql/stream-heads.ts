import { type Kysely, sql } from 'kysely';
import type { EventStoreSchema } from '../schema.ts';
import type { StreamHead } from './stream-head.ts';

/** The last event of each stream, read in one query: version 0 and no hash for a stream that does not exist. */
export async function readStreamHeads(
  db: Kysely<EventStoreSchema>,
  streamIds: readonly string[],
): Promise<Map<string, StreamHead>> {
  if (streamIds.length === 0) return new Map();
  const { rows } = await sql<{ stream_id: string; stream_version: number | null; hash: string | null }>`
    select s.stream_id, head.stream_version, head.hash
    from unnest(${[...streamIds]}::text[]) as s(stream_id)
    left join lateral (
      select stream_version, hash from events
      where events.stream_id = s.stream_id
      order by stream_version desc
      limit 1
    ) as head on true`.execute(db);
  return new Map(
    rows.map((row) => [
      row.stream_id,
      row.stream_version === null ? { version: 0, hash: null } : { version: row.stream_version, hash: row.hash },
    ]),
  );
}
