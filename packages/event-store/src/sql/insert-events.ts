import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { withAlongsideWrites } from './alongside-writes.ts';
import type { PreparedEvent } from './prepare-events.ts';
import type { StreamHead } from './stream-head.ts';
import { type BrokenUniqueConstraint, brokenUniqueConstraint } from './unique-violation.ts';

/** Our own insert lost a uniqueness race; errors from a caller's alongside writes never take this form. */
export class InsertRefused extends Error {
  readonly constraint: BrokenUniqueConstraint;
  constructor(constraint: BrokenUniqueConstraint, cause: unknown) {
    super(`Insert refused by the ${constraint} constraint.`, { cause });
    this.constraint = constraint;
  }
}

/**
 * Inserts the events, and runs the alongside writes, in one statement. With `predecessor`, the rows
 * go in only if that version is stored with that hash, and null comes back otherwise: a head this
 * process remembers, rather than one just read, must not chain the stream to an event that is not there.
 */
export async function insertEvents(
  db: Kysely<EventStoreSchema>,
  prepared: readonly PreparedEvent[],
  streamId: string,
  predecessor: StreamHead | null,
  alongside: readonly RawBuilder<unknown>[] = [],
): Promise<StoredEvent[] | null> {
  const statement =
    alongside.length === 0
      ? insertion(prepared, streamId, predecessor, sql`stream_version, position, transaction_id`)
      : withAlongsideWrites(
          insertion(prepared, streamId, predecessor, sql`stream_version, position, transaction_id, recorded_at`),
          alongside,
        );
  try {
    const { rows: assigned } = await statement.execute(db);
    if (assigned.length === 0) return null;
    const byVersion = new Map(assigned.map((row) => [row.stream_version, row]));
    return prepared.map(({ event }) => {
      const row = byVersion.get(event.version)!;
      return { ...event, position: row.position, transactionId: row.transaction_id };
    });
  } catch (error) {
    const constraint = brokenUniqueConstraint(error);
    throw constraint === null ? error : new InsertRefused(constraint, error);
  }
}

interface Assigned {
  stream_version: number;
  position: bigint;
  transaction_id: bigint;
}

function insertion(
  prepared: readonly PreparedEvent[],
  streamId: string,
  predecessor: StreamHead | null,
  returning: RawBuilder<unknown>,
): RawBuilder<Assigned> {
  const rows = prepared.map(
    ({ row }) => sql`(${row.stream_id}::text, ${row.stream_version}::integer, ${row.event_id}::uuid, ${row.type}::text,
      ${row.schema_version}::integer, ${row.data}::jsonb, ${row.personal}::jsonb, ${row.metadata}::jsonb,
      ${row.recorded_at}::timestamptz, ${row.previous_hash}::text, ${row.hash}::text)`,
  );
  const values = sql`values ${sql.join(rows)}`;
  const source =
    predecessor === null
      ? values
      : sql`select * from (${values}) as new_events
        where exists (
          select from events
          where stream_id = ${streamId} and stream_version = ${predecessor.version} and hash = ${predecessor.hash}
        )`;
  return sql<Assigned>`
    insert into events (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata,
      recorded_at, previous_hash, hash)
    ${source}
    returning ${returning}`;
}
