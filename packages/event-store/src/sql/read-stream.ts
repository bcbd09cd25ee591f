import type { Kysely } from 'kysely';
import type { ReadStreamOptions, StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { toStoredEvent } from './stored-event.ts';

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
