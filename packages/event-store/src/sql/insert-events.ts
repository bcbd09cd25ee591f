import { type Kysely, sql } from 'kysely';
import type { StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import type { PreparedEvent } from './prepare-events.ts';
import type { StreamHead } from './stream-head.ts';
import { type BrokenUniqueConstraint, brokenUniqueConstraint } from './unique-violation.ts';

/** Our own insert lost a uniqueness race; errors from a caller's hook never take this form. */
export class InsertRefused extends Error {
  readonly constraint: BrokenUniqueConstraint;
  constructor(constraint: BrokenUniqueConstraint, cause: unknown) {
    super(`Insert refused by the ${constraint} constraint.`, { cause });
    this.constraint = constraint;
  }
}

/**
 * Inserts the events in one statement. With `predecessor`, the rows go in only if that version is
 * stored with that hash, and null comes back otherwise: a head this process remembers, rather than
 * one just read, must not chain the stream to an event that is not there.
 */
export async function insertEvents(
  db: Kysely<EventStoreSchema>,
  prepared: readonly PreparedEvent[],
  streamId: string,
  predecessor: StreamHead | null,
): Promise<StoredEvent[] | null> {
  try {
    const assigned =
      predecessor === null ? await insert(db, prepared) : await insertAfter(db, prepared, streamId, predecessor);
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

function insert(db: Kysely<EventStoreSchema>, prepared: readonly PreparedEvent[]): Promise<Assigned[]> {
  return db
    .insertInto('events')
    .values(prepared.map(({ row }) => row))
    .returning(['stream_version', 'position', 'transaction_id'])
    .execute();
}

async function insertAfter(
  db: Kysely<EventStoreSchema>,
  prepared: readonly PreparedEvent[],
  streamId: string,
  predecessor: StreamHead,
): Promise<Assigned[]> {
  const rows = prepared.map(
    ({ row }) => sql`(${row.stream_id}::text, ${row.stream_version}::integer, ${row.event_id}::uuid, ${row.type}::text,
      ${row.schema_version}::integer, ${row.data}::jsonb, ${row.personal}::jsonb, ${row.metadata}::jsonb,
      ${row.recorded_at}::timestamptz, ${row.previous_hash}::text, ${row.hash}::text)`,
  );
  const { rows: assigned } = await sql<Assigned>`
    insert into events (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata,
      recorded_at, previous_hash, hash)
    select * from (values ${sql.join(rows)}) as new_events
    where exists (
      select from events
      where stream_id = ${streamId} and stream_version = ${predecessor.version} and hash = ${predecessor.hash}
    )
    returning stream_version, position, transaction_id`.execute(db);
  return assigned;
}
