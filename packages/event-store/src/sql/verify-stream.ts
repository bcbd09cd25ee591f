import type { Kysely } from 'kysely';
import type { ChainProblem, VerifyResult } from '../event-store.ts';
import { eventHash } from '../hash/event-hash.ts';
import type { EventStoreSchema } from '../schema.ts';
import { toStoredEvent } from './stored-event.ts';

const PAGE = 500;

/** Recomputes the stream's hash chain from the stored rows and reports the first link that fails. */
export async function verifyStream(db: Kysely<EventStoreSchema>, streamId: string): Promise<VerifyResult> {
  let previousHash: string | null = null;
  let eventsChecked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('stream_id', '=', streamId)
      .where('stream_version', '>', eventsChecked)
      .orderBy('stream_version')
      .limit(PAGE)
      .execute();
    for (const event of rows.map(toStoredEvent)) {
      const expectedHash = eventHash({ ...event, previousHash });
      const problem: ChainProblem | null =
        event.version !== eventsChecked + 1
          ? 'version gap'
          : event.previousHash !== previousHash
            ? 'previous hash does not link'
            : event.hash !== expectedHash
              ? 'hash mismatch'
              : null;
      if (problem !== null) {
        const firstBroken = {
          version: event.version,
          position: event.position,
          expectedHash,
          storedHash: event.hash,
          problem,
        };
        return { ok: false, streamId, eventsChecked, firstBroken };
      }
      previousHash = event.hash;
      eventsChecked++;
    }
    if (rows.length < PAGE) return { ok: true, streamId, eventsChecked, lastHash: previousHash };
  }
}
