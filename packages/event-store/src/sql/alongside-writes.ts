import { type Kysely, type RawBuilder, sql } from 'kysely';
import { APPENDED_EVENTS } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';

const READS_APPENDED_EVENTS = new RegExp(`\\b${APPENDED_EVENTS}\\b`, 'i');

/**
 * Refuses a write that does not read the appended rows: it would take effect even when a guarded
 * insert stored nothing, and the append, tried again, would then apply it twice.
 */
export function checkAlongsideWrites(db: Kysely<EventStoreSchema>, writes: readonly RawBuilder<unknown>[]): void {
  for (const [index, write] of writes.entries()) {
    const { sql: text } = write.compile(db);
    if (!READS_APPENDED_EVENTS.test(text)) {
      throw new TypeError(
        `Alongside write ${index} does not read ${APPENDED_EVENTS}, so it would take effect even when no event is inserted: ${text}`,
      );
    }
  }
}

/** One statement: the insert as the `appended_events` CTE, each write as a CTE after it, then the insert's rows. */
export function withAlongsideWrites<Row>(
  insertion: RawBuilder<Row>,
  writes: readonly RawBuilder<unknown>[],
): RawBuilder<Row> {
  const ctes = writes.map((write, index) => sql`${sql.raw(`alongside_${index}`)} as (${write})`);
  return sql<Row>`with ${sql.raw(APPENDED_EVENTS)} as (${insertion}), ${sql.join(ctes)}
    select stream_version, position, transaction_id from ${sql.raw(APPENDED_EVENTS)}`;
}
