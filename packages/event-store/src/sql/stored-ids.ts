import { type Kysely, sql } from 'kysely';
import type { EventStoreSchema } from '../schema.ts';
import type { EventRow } from './stored-event.ts';

/** The stored events, of any stream, that have one of these ids, in stream order. */
export async function storedEventsWithIds(db: Kysely<EventStoreSchema>, ids: readonly string[]): Promise<EventRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('events')
    .selectAll()
    .where(sql<boolean>`event_id = any(${[...ids]}::uuid[])`)
    .orderBy('stream_id')
    .orderBy('stream_version')
    .execute();
}
