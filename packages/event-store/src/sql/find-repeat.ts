import type { Kysely } from 'kysely';
import { EventIdConflict } from '../errors/event-id-conflict.ts';
import type { StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { toStoredEvent } from './stored-event.ts';

/**
 * The stored originals when every id is already in this stream (an idempotent repeat), null when
 * none is stored anywhere. Any other overlap is an {@link EventIdConflict}.
 */
export async function findRepeat(
  db: Kysely<EventStoreSchema>,
  streamId: string,
  ids: readonly string[],
): Promise<StoredEvent[] | null> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('event_id', 'in', ids)
    .orderBy('stream_id')
    .orderBy('stream_version')
    .execute();
  if (rows.length === 0) return null;
  const elsewhere = rows.find((row) => row.stream_id !== streamId);
  if (elsewhere !== undefined) throw new EventIdConflict(elsewhere.event_id, streamId, elsewhere.stream_id);
  if (rows.length < ids.length) throw new EventIdConflict(rows[0]!.event_id, streamId, streamId);
  return rows.map(toStoredEvent);
}
