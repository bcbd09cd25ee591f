import { type Kysely, sql } from 'kysely';
import type { StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { InsertRefused } from './insert-events.ts';
import type { PreparedEvent } from './prepare-events.ts';
import { brokenUniqueConstraint } from './unique-violation.ts';

// Rows per INSERT: each statement sends one array per column, so its size, not its parameter count, grows.
const CHUNK = 2000;

interface Assigned {
  stream_id: string;
  stream_version: number;
  position: bigint;
  transaction_id: bigint;
}

/**
 * Inserts events of many streams with one multi-row INSERT per chunk, each column sent as an array
 * and unnested, and returns them as stored, in the order given. Rows go in ordered by stream, so two
 * transactions writing overlapping streams wait for each other instead of deadlocking. A lost
 * uniqueness race becomes {@link InsertRefused}.
 */
export async function insertMany(
  db: Kysely<EventStoreSchema>,
  prepared: readonly PreparedEvent[],
): Promise<StoredEvent[]> {
  const assigned = new Map<string, Assigned>();
  const ordered = [...prepared].sort(
    (a, b) =>
      (a.event.streamId < b.event.streamId ? -1 : a.event.streamId > b.event.streamId ? 1 : 0) ||
      a.event.version - b.event.version,
  );
  try {
    for (let start = 0; start < ordered.length; start += CHUNK) {
      for (const row of await insertChunk(db, ordered.slice(start, start + CHUNK))) {
        assigned.set(keyOf(row.stream_id, row.stream_version), row);
      }
    }
  } catch (error) {
    const constraint = brokenUniqueConstraint(error);
    throw constraint === null ? error : new InsertRefused(constraint, error);
  }
  return prepared.map(({ event }) => {
    const row = assigned.get(keyOf(event.streamId, event.version))!;
    return { ...event, position: row.position, transactionId: row.transaction_id };
  });
}

const keyOf = (streamId: string, version: number): string => `${version}\u0000${streamId}`;

async function insertChunk(db: Kysely<EventStoreSchema>, chunk: readonly PreparedEvent[]): Promise<Assigned[]> {
  const column = <T>(pick: (row: PreparedEvent['row']) => T): T[] => chunk.map(({ row }) => pick(row));
  const { rows } = await sql<Assigned>`
    insert into events (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata,
      recorded_at, previous_hash, hash)
    select * from unnest(
      ${column((r) => r.stream_id)}::text[], ${column((r) => r.stream_version)}::integer[],
      ${column((r) => r.event_id)}::uuid[], ${column((r) => r.type)}::text[],
      ${column((r) => r.schema_version)}::integer[], ${column((r) => r.data)}::jsonb[],
      ${column((r) => r.personal ?? null)}::jsonb[], ${column((r) => r.metadata)}::jsonb[],
      ${column((r) => r.recorded_at)}::timestamptz[], ${column((r) => r.previous_hash ?? null)}::text[],
      ${column((r) => r.hash)}::text[])
    returning stream_id, stream_version, position, transaction_id`.execute(db);
  return rows;
}
