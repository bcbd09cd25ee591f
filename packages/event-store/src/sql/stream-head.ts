import type { Kysely } from 'kysely';
import type { EventStoreSchema } from '../schema.ts';

/** The last event of a stream: version 0 and no hash when the stream does not exist. */
export interface StreamHead {
  version: number;
  hash: string | null;
}

export async function readStreamHead(db: Kysely<EventStoreSchema>, streamId: string): Promise<StreamHead> {
  const row = await db
    .selectFrom('events')
    .select(['stream_version', 'hash'])
    .where('stream_id', '=', streamId)
    .orderBy('stream_version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? { version: 0, hash: null } : { version: row.stream_version, hash: row.hash };
}
