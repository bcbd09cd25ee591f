import type { Insertable } from 'kysely';
import type { EventMetadata, NewEvent, StoredEvent } from '../event-store.ts';
import { eventHash } from '../hash/event-hash.ts';
import type { EventsTable } from '../schema.ts';
import type { eventIds } from './event-ids.ts';
import type { StreamHead } from './stream-head.ts';

/** An event ready to insert, and what it will read back as, less what the database assigns. */
export interface PreparedEvent {
  row: Insertable<EventsTable>;
  event: Omit<StoredEvent, 'position' | 'transactionId'>;
}

/**
 * Numbers the events after `head` (with `ids` from {@link eventIds}), chains their hashes and fixes their JSON. The hash must be
 * recomputable from what jsonb hands back, so each payload goes through JSON first: undefined
 * members and Dates become what the database will store.
 */
export function prepareEvents(
  streamId: string,
  events: readonly NewEvent[],
  ids: readonly string[],
  head: StreamHead,
  recordedAt: Date,
): PreparedEvent[] {
  let previousHash = head.hash;
  return events.map((input, index) => {
    const id = ids[index]!;
    const version = head.version + index + 1;
    const data = jsonText(input.data);
    const personal = input.personal == null ? null : jsonText(input.personal);
    const metadata = jsonText(input.metadata);
    const event = {
      id,
      type: input.type,
      schemaVersion: input.schemaVersion,
      data: JSON.parse(data) as Record<string, unknown>,
      personal: personal === null ? null : (JSON.parse(personal) as Record<string, unknown>),
      metadata: JSON.parse(metadata) as EventMetadata,
      streamId,
      version,
      recordedAt,
      previousHash,
    };
    const hash = eventHash(event);
    const row: Insertable<EventsTable> = {
      stream_id: streamId,
      stream_version: version,
      event_id: id,
      type: input.type,
      schema_version: input.schemaVersion,
      data,
      personal,
      metadata,
      recorded_at: recordedAt.toISOString(),
      previous_hash: previousHash,
      hash,
    };
    previousHash = hash;
    return { row, event: { ...event, hash } };
  });
}

function jsonText(value: unknown): string {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw new TypeError('Event payloads and metadata must be JSON objects.');
  return text;
}
