import { type RawBuilder, sql } from 'kysely';
import type { ReadStreamOptions, RecordedEvent, StoredEvent } from '../event-store.ts';
import type { ReadModelTx } from '../read-model-tx.ts';

/** The rows an append's statement inserts, as its writes may read them (`stream_version`, `position`). */
export const APPENDED_EVENTS = 'appended_events';

/**
 * Collects the writes of an append's inline work, to be sent as data-modifying CTEs of the insert's
 * own statement: one round trip, and they commit or fail with the events.
 */
export class StatementTx implements ReadModelTx {
  readonly canRead = false;
  readonly writes: RawBuilder<unknown>[] = [];
  readonly #effects: (() => void)[] = [];
  readonly readStream: (streamId: string, options?: ReadStreamOptions) => Promise<StoredEvent[]>;

  /** `readStream`: the store's, since the statement is not sent yet. */
  constructor(readStream: StatementTx['readStream']) {
    this.readStream = readStream;
  }

  async execute(statement: RawBuilder<unknown>): Promise<void> {
    this.writes.push(statement);
  }

  async select<Row>(): Promise<Row[]> {
    throw new TypeError('Writes sent with an append run in its statement and cannot read: read before appending.');
  }

  positionOf(event: RecordedEvent): RawBuilder<bigint> {
    return sql<bigint>`(select position from ${sql.table(APPENDED_EVENTS)} where stream_version = ${event.version}::integer)`;
  }

  afterCommit(effect: () => void): void {
    this.#effects.push(effect);
  }

  /** Runs the effects of writes that were committed. */
  committed(): void {
    for (const effect of this.#effects) effect();
  }
}

/** One statement: the insert as the `appended_events` CTE, each write as a CTE after it, then the insert's rows. */
export function withWrites<Row>(insertion: RawBuilder<Row>, writes: readonly RawBuilder<unknown>[]): RawBuilder<Row> {
  if (writes.length === 0) return insertion;
  const ctes = writes.map((write, index) => sql`${sql.raw(`write_${index}`)} as (${write})`);
  return sql<Row>`with ${sql.raw(APPENDED_EVENTS)} as (${insertion}), ${sql.join(ctes)}
    select * from ${sql.raw(APPENDED_EVENTS)}`;
}
