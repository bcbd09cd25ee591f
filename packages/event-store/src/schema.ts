import type { ColumnType, Generated } from 'kysely';

/** The append-only log. Positions and transaction ids are int8/xid8, read as bigint. */
export interface EventsTable {
  position: Generated<bigint>;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: ColumnType<Record<string, unknown>, string, never>;
  personal: ColumnType<Record<string, unknown> | null, string | null, never>;
  metadata: ColumnType<Record<string, unknown>, string, never>;
  recorded_at: ColumnType<Date, Date | string, never>;
  transaction_id: Generated<bigint>;
  previous_hash: string | null;
  hash: string;
}

/**
 * Tables of the event store. Read models that live beside the log declare their own tables and
 * widen a handle to them with `db.withTables<…>()` (a type alias, so it fits that constraint).
 */
export type EventStoreSchema = {
  events: EventsTable;
};
