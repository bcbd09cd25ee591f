import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ReadStreamOptions, RecordedEvent, StoredEvent } from '../event-store.ts';
import type { ReadModelTx } from '../read-model-tx.ts';
import type { EventStoreSchema } from '../schema.ts';
import { readStream, readStreams, type StreamFrom } from './read-stream.ts';

/**
 * Writes run at once inside an open transaction (an append of many streams, a projection runner's
 * batch); effects wait for {@link TransactionTx.committed}.
 */
export class TransactionTx implements ReadModelTx {
  readonly canRead = true;
  readonly #trx: Kysely<EventStoreSchema>;
  readonly #effects: (() => void)[] = [];

  /** `trx`: an open transaction on the store's database (`trx.withTables<EventStoreSchema>()` widens one). */
  constructor(trx: Kysely<EventStoreSchema>) {
    this.#trx = trx;
  }

  async execute(statement: RawBuilder<unknown>): Promise<void> {
    await statement.execute(this.#trx);
  }

  async select<Row>(statement: RawBuilder<Row>): Promise<Row[]> {
    return (await statement.execute(this.#trx)).rows;
  }

  positionOf(event: RecordedEvent): RawBuilder<bigint> {
    const { position } = event as Partial<StoredEvent>;
    if (position === undefined) throw new TypeError(`Event ${event.id} is not stored yet: it has no position.`);
    return sql<bigint>`${position.toString()}::bigint`;
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return readStream(this.#trx, streamId, options);
  }

  /** Many streams' events, each from its own version on, in one statement (see {@link readStreams}). */
  readStreams(from: readonly StreamFrom[]): Promise<StoredEvent[]> {
    return readStreams(this.#trx, from);
  }

  afterCommit(effect: () => void): void {
    this.#effects.push(effect);
  }

  committed(): void {
    for (const effect of this.#effects) effect();
  }
}
