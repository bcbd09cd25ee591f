import { type Kysely, sql } from 'kysely';
import type { StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { InsertRefused } from './insert-events.ts';
import { logPositionOf } from './log-position.ts';
import type { PreparedEvent } from './prepare-events.ts';
import { brokenUniqueConstraint } from './unique-violation.ts';

// Rows per INSERT: each statement sends its rows as one JSON parameter.
const CHUNK = 5000;

interface Assigned {
  stream_id: string;
  stream_version: number;
  position: bigint;
  transaction_id: bigint;
}

/**
 * Inserts events of many streams with one multi-row INSERT per chunk and returns them as stored, in
 * the order given. Each chunk goes as one JSON document of rows, with the values most rows share
 * (metadata, type, recording time) once beside it. The document is read as json, not jsonb, and
 * split into columns by `json_to_recordset` in one pass, so only the payloads are built as jsonb
 * (`->` parses the whole row for each column it reads: twice the server's work). Rows go in
 * ordered by stream, so two transactions writing overlapping streams wait for each other instead of
 * deadlocking. A lost uniqueness race becomes {@link InsertRefused}.
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
    return {
      ...event,
      position: row.position,
      logPosition: logPositionOf({ transactionId: row.transaction_id, position: row.position }),
    };
  });
}

const keyOf = (streamId: string, version: number): string => `${version}\u0000${streamId}`;

async function insertChunk(db: Kysely<EventStoreSchema>, chunk: readonly PreparedEvent[]): Promise<Assigned[]> {
  const shared = {
    metadata: new Map<string, number>(),
    type: new Map<string, number>(),
    recordedAt: new Map<string, number>(),
  };
  const indexOf = (values: Map<string, number>, value: string) => {
    const known = values.get(value);
    if (known !== undefined) return known;
    values.set(value, values.size);
    return values.size - 1;
  };
  const rows = chunk.map(({ row }) => {
    const recordedAt = typeof row.recorded_at === 'string' ? row.recorded_at : row.recorded_at.toISOString();
    return (
      `{"s":${JSON.stringify(row.stream_id)},"v":${row.stream_version},"i":${JSON.stringify(row.event_id)},` +
      `"t":${indexOf(shared.type, JSON.stringify(row.type))},"sv":${row.schema_version},` +
      `"m":${indexOf(shared.metadata, row.metadata)},"r":${indexOf(shared.recordedAt, JSON.stringify(recordedAt))},` +
      `"ph":${JSON.stringify(row.previous_hash ?? null)},"h":${JSON.stringify(row.hash)},` +
      `"d":${row.data},"p":${row.personal ?? 'null'}}`
    );
  });
  const list = (values: Map<string, number>) => `[${[...values.keys()].join(',')}]`;
  const { rows: assigned } = await sql<Assigned>`
    insert into events (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata,
      recorded_at, previous_hash, hash)
    select e.s, e.v, e.i, shared.types->>e.t, e.sv, e.d, e.p, shared.metadata->e.m,
      (shared.recorded->>e.r)::timestamptz, e.ph, e.h
    from json_to_recordset(${`[${rows.join(',')}]`}::json) as e(s text, v integer, i uuid, t integer, sv integer,
        m integer, r integer, ph text, h text, d jsonb, p jsonb),
      (select ${list(shared.type)}::jsonb as types, ${list(shared.metadata)}::jsonb as metadata,
        ${list(shared.recordedAt)}::jsonb as recorded) as shared
    returning stream_id, stream_version, position, transaction_id`.execute(db);
  return assigned;
}
