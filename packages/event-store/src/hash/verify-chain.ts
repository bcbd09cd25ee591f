import type { ChainProblem, StoredEvent, VerifyResult } from '../event-store.ts';
import { eventHash } from './event-hash.ts';

/** Recomputes a stream's hash chain from its stored events, page by page, and reports the first link that fails. */
export async function verifyChain(
  streamId: string,
  pages: AsyncIterable<readonly StoredEvent[]>,
): Promise<VerifyResult> {
  let previousHash: string | null = null;
  let eventsChecked = 0;
  for await (const page of pages) {
    for (const event of page) {
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
  }
  return { ok: true, streamId, eventsChecked, lastHash: previousHash };
}
