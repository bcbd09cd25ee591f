import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The stored fields an event's hash covers. */
export interface HashedEvent {
  streamId: string;
  version: number;
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  personal: unknown;
  metadata: unknown;
  recordedAt: Date;
  previousHash: string | null;
}

/**
 * SHA-256 (hex) of the RFC 8785 canonical JSON of the event, which includes the previous event's
 * hash (null for version 1). Canonical JSON makes the hash independent of the key order and number
 * spelling jsonb hands back; `recordedAt` is hashed as an ISO string with milliseconds.
 */
export function eventHash(event: HashedEvent): string {
  const canonical = canonicalize({
    streamId: event.streamId,
    version: event.version,
    eventId: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    personal: event.personal,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
    previousHash: event.previousHash,
  });
  if (canonical === undefined) throw new TypeError(`Event ${event.id} has no JSON form to hash.`);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
