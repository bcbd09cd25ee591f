import type { Selectable } from 'kysely';
import type { EventMetadata, StoredEvent } from '../event-store.ts';
import type { EventsTable } from '../schema.ts';
import { logPositionOf } from './log-position.ts';

export type EventRow = Selectable<EventsTable>;

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    personal: row.personal,
    metadata: row.metadata as unknown as EventMetadata,
    streamId: row.stream_id,
    version: row.stream_version,
    position: row.position,
    logPosition: logPositionOf({ transactionId: row.transaction_id, position: row.position }),
    recordedAt: row.recorded_at,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}
