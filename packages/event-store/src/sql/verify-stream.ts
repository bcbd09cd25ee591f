import type { Kysely } from 'kysely';
import type { StoredEvent, VerifyResult } from '../event-store.ts';
import { verifyChain } from '../hash/verify-chain.ts';
import type { EventStoreSchema } from '../schema.ts';
import { toStoredEvent } from './stored-event.ts';

const PAGE = 500;

/** Recomputes the stream's hash chain from the stored rows and reports the first link that fails. */
export function verifyStream(db: Kysely<EventStoreSchema>, streamId: string): Promise<VerifyResult> {
  return verifyChain(streamId, pagesOf(db, streamId));
}

async function* pagesOf(db: Kysely<EventStoreSchema>, streamId: string): AsyncGenerator<StoredEvent[]> {
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('stream_id', '=', streamId)
      .where('stream_version', '>', after)
      .orderBy('stream_version')
      .limit(PAGE)
      .execute();
    yield rows.map(toStoredEvent);
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.stream_version;
  }
}
