import type { RawBuilder } from 'kysely';
import type { ReadStreamOptions, RecordedEvent, StoredEvent } from './event-store.ts';

/**
 * Where a projection's writes go: into an append (its one statement, or its transaction) or into a
 * projection runner's transaction, which stores the runner's checkpoint with them. A projection
 * writes through this alone, so the same code serves every place it runs.
 */
export interface ReadModelTx {
  /**
   * False inside a single append's statement: the writes are sent as part of it, so none of them
   * can read, and each sees the tables as they were before the statement (no two may change the
   * same row). True inside a transaction.
   */
  readonly canRead: boolean;
  /** Runs a write, or queues it into the append's statement. */
  execute(statement: RawBuilder<unknown>): Promise<void>;
  /** Runs a read; refused (TypeError) where {@link canRead} is false. */
  select<Row>(statement: RawBuilder<Row>): Promise<Row[]>;
  /** The event's global position as SQL: inside an append's statement it is read from the rows inserted. */
  positionOf(event: RecordedEvent): RawBuilder<bigint>;
  /**
   * Reads a stream as the writes will see it: inside a transaction through that transaction (an
   * embedded database has one connection, which the transaction holds), before an append's
   * statement from the store.
   */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Runs `effect` once the writes are committed, never when they are not (in-memory caches). */
  afterCommit(effect: () => void): void;
}
