import type { Insertable } from 'kysely';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store.ts';
import type { EventsTable } from '../schema.ts';
import { canonicalJson, preparedEventHash } from './canonical-json.ts';
import type { eventIds } from './event-ids.ts';
import type { StreamHead } from './stream-head.ts';

/** An event ready to insert, and what it will read back as, less what the database assigns. */
export interface PreparedEvent {
  row: Insertable<EventsTable>;
  event: RecordedEvent;
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
  const recordedAtText = recordedAt.toISOString();
  return events.map((input, index) => {
    const id = ids[index]!;
    const version = head.version + index + 1;
    const data = parsedJson(input.data);
    const personal = input.personal == null ? null : parsedJson(input.personal);
    const metadata = sharedJson(input.metadata);
    const event = {
      id,
      type: input.type,
      schemaVersion: input.schemaVersion,
      data: data.value as Record<string, unknown>,
      personal: personal === null ? null : (personal.value as Record<string, unknown>),
      metadata: metadata.value as EventMetadata,
      streamId,
      version,
      recordedAt,
      previousHash,
    };
    const hash = preparedEventHash(event, {
      data: canonicalJson(data.value),
      personal: personal === null ? 'null' : canonicalJson(personal.value),
      metadata: metadata.canonical,
    });
    const row: Insertable<EventsTable> = {
      stream_id: streamId,
      stream_version: version,
      event_id: id,
      type: input.type,
      schema_version: input.schemaVersion,
      data: data.text,
      personal: personal?.text ?? null,
      metadata: metadata.text,
      recorded_at: recordedAtText,
      previous_hash: previousHash,
      hash,
    };
    previousHash = hash;
    return { row, event: { ...event, hash } };
  });
}

interface Json {
  text: string;
  value: unknown;
}

function parsedJson(value: unknown): Json {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw new TypeError('Event payloads and metadata must be JSON objects.');
  return { text, value: JSON.parse(text) };
}

// A batch's events usually share one metadata (the same actor, correlation and key): it is made
// canonical once while it stays the same. Each event still gets its own parsed copy.
let lastCanonical: { text: string; canonical: string } | null = null;

function sharedJson(value: unknown): Json & { canonical: string } {
  const parsed = parsedJson(value);
  if (lastCanonical?.text !== parsed.text)
    lastCanonical = { text: parsed.text, canonical: canonicalJson(parsed.value) };
  return { ...parsed, canonical: lastCanonical.canonical };
}
