import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { logPositionOf } from './log-position.ts';
import type { PreparedEvent } from './prepare-events.ts';
import { withWrites } from './statement-tx.ts';
import type { StreamHead } from './stream-head.ts';
import { type BrokenUniqueConstraint, brokenUniqueConstraint } from './unique-violation.ts';

/** Our own insert lost a uniqueness race; errors from a caller's inline writes never take this form. */
export class InsertRefused extends Error {
  readonly constraint: BrokenUniqueConstraint;
  constructor(constraint: BrokenUniqueConstraint, cause: unknown) {
    super(`Insert refused by the ${constraint} constraint.`, { cause });
    this.constraint = constraint;
  }
}

/**
 * Inserts the events, and runs the writes sent with them, in one statement. With `predecessor`,
 * the statement fails unless that version is stored with that hash, and null comes back: a head
 * this process remembers, rather than one just read, must not chain the stream to an event that is
 * not there. Failing the whole statement, rather than inserting no rows, is what lets the writes
 * beside the insert be plain statements: nothing of them is left when no event goes in.
 */
export async function insertEvents(
  db: Kysely<EventStoreSchema>,
  prepared: readonly PreparedEvent[],
  streamId: string,
  predecessor: StreamHead | null,
  writes: readonly RawBuilder<unknown>[] = [],
): Promise<StoredEvent[] | null> {
  const statement = withWrites(insertion(prepared, streamId, predecessor), writes);
  try {
    const { rows: assigned } = await statement.execute(db);
    const byVersion = new Map(assigned.map((row) => [row.stream_version, row]));
    return prepared.map(({ event }) => {
      const row = byVersion.get(event.version)!;
      return {
        ...event,
        position: row.position,
        logPosition: logPositionOf({ transactionId: row.transaction_id, position: row.position }),
      };
    });
  } catch (error) {
    if (isMissingPredecessor(error)) return null;
    const constraint = brokenUniqueConstraint(error);
    throw constraint === null ? error : new InsertRefused(constraint, error);
  }
}

interface Assigned {
  stream_version: number;
  position: bigint;
  transaction_id: bigint;
}

// The guard numbers the rows null when the predecessor is missing, which the column refuses.
const isMissingPredecessor = (error: unknown): boolean => {
  const { code, table, column } = (error ?? {}) as { code?: unknown; table?: unknown; column?: unknown };
  return code === '23502' && table === 'events' && column === 'stream_version';
};

function insertion(
  prepared: readonly PreparedEvent[],
  streamId: string,
  predecessor: StreamHead | null,
): RawBuilder<Assigned> {
  const present =
    predecessor === null
      ? null
      : sql`exists (select from events where stream_id = ${streamId}
          and stream_version = ${predecessor.version} and hash = ${predecessor.hash})`;
  const rows = prepared.map(({ row }) => {
    const version =
      present === null
        ? sql`${row.stream_version}::integer`
        : sql`case when ${present} then ${row.stream_version}::integer end`;
    return sql`(${row.stream_id}::text, ${version}, ${row.event_id}::uuid, ${row.type}::text,
      ${row.schema_version}::integer, ${row.data}::jsonb, ${row.personal}::jsonb, ${row.metadata}::jsonb,
      ${row.recorded_at}::timestamptz, ${row.previous_hash}::text, ${row.hash}::text)`;
  });
  return sql<Assigned>`
    insert into events (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata,
      recorded_at, previous_hash, hash)
    values ${sql.join(rows)}
    returning stream_version, position, transaction_id`;
}
