import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { EventStoreSchema } from './schema.ts';

/** Who did it and why: stored with every event (DOMAIN.md §5). */
export interface EventMetadata {
  actor: { id: string; role: string; tenant: string };
  correlationId: string;
  causationId: string | null;
  /** The reason, where the domain asks for one. */
  reason?: string | undefined;
  /** When the fact happened, where it differs from when it was recorded (ISO 8601). */
  occurredAt?: string | undefined;
  /** The idempotency key the event derives from, if any. */
  idempotencyKey?: string | undefined;
}

/** An event about to be appended. `personal` holds the fields that are personal data. */
export interface NewEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  personal?: Record<string, unknown> | null;
  metadata: EventMetadata;
}

export interface StoredEvent extends Required<Omit<NewEvent, 'personal'>> {
  personal: Record<string, unknown> | null;
  streamId: string;
  /** Version within the stream, from 1. */
  version: number;
  /** Global position (identity column). */
  position: bigint;
  /** Id of the transaction that wrote it (xid8). */
  transactionId: bigint;
  recordedAt: Date;
  /** Hash of the previous event in the stream; null for version 1. */
  previousHash: string | null;
  /** SHA-256 hex over the previous hash and the canonical event (RFC 8785). */
  hash: string;
}

/**
 * What the caller expects of the stream before the append: `no_stream` (it must not exist),
 * `exists` (it must), `any`, or the exact current version.
 */
export type ExpectedVersion = 'no_stream' | 'exists' | 'any' | number;

/** A place in the global log: reads continue after it, in (transaction id, position) order. */
export interface GlobalCheckpoint {
  transactionId: bigint;
  position: bigint;
}

export const START_OF_LOG: GlobalCheckpoint = { transactionId: 0n, position: 0n };

export type StoreTransaction = Transaction<EventStoreSchema>;

/**
 * The rows an `append` inserted, as an alongside write reads them (see {@link AppendOptions.alongside}):
 * `stream_version`, `position`, `transaction_id` and `recorded_at`, one row per event.
 */
export const APPENDED_EVENTS = 'appended_events';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /**
   * Writes that commit or fail with the events (read models, idempotency records, cross-stream
   * unique claims), folded into the insert's own statement as data-modifying CTEs, so the append
   * stays one round trip. Each must take its rows from {@link APPENDED_EVENTS} (one row per event
   * inserted, with `stream_version`, `position`, `transaction_id` and `recorded_at`), for instance
   * `select … from appended_events having count(*) > 0`, so that it does nothing when no event goes
   * in: an insert guarded by a remembered head can insert none and is then tried again. A write
   * whose SQL does not mention `appended_events` is refused with a TypeError before anything is sent.
   * As PostgreSQL runs CTEs, every write sees the database as it was before the statement (not the
   * new events, nor another write's rows), so no two writes may change the same row. An error from a
   * write, such as a unique violation of the caller's own constraint, comes out of `append` as the
   * database raised it, with nothing stored. A repeat runs none of them.
   */
  alongside?: readonly RawBuilder<unknown>[];
}

export interface AppendResult {
  /** The stream's version after the append (or after the original append, for a repeat). */
  nextExpectedVersion: number;
  /** The stored events: newly written, or the originals when every id was already there. */
  events: StoredEvent[];
  /** True when every event id was already stored in this stream and nothing was written. */
  wasRepeat: boolean;
}

/** One stream's part of {@link EventStore.appendMany}. */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expectedVersion: ExpectedVersion;
}

export interface AppendManyOptions {
  /**
   * Runs once inside the transaction after every event is written, with all of them in the order of
   * the appends: read models and idempotency records go here. It does not run when nothing was written.
   */
  inTransaction?: (trx: StoreTransaction, appended: readonly StoredEvent[]) => Promise<void>;
}

export interface ReadStreamOptions {
  /** First version to read (default 1). */
  fromVersion?: number;
  maxCount?: number;
  /** Only events recorded at or before this instant (as-of reads). */
  recordedAtOrBefore?: Date;
}

export interface ReadAllOptions {
  /** Read after this checkpoint (default: the start of the log). */
  after?: GlobalCheckpoint;
  /** Most events to return (default 1000). */
  maxCount?: number;
}

export interface ReadAllResult {
  events: StoredEvent[];
  /** Where the next read continues; equal to `after` when nothing new was safe to read. */
  checkpoint: GlobalCheckpoint;
}

/** Why a link of the hash chain fails: the first one found is reported. */
export type ChainProblem = 'version gap' | 'previous hash does not link' | 'hash mismatch';

export type VerifyResult =
  | { ok: true; streamId: string; eventsChecked: number; lastHash: string | null }
  | {
      ok: false;
      streamId: string;
      eventsChecked: number;
      firstBroken: {
        version: number;
        position: bigint;
        expectedHash: string;
        storedHash: string;
        problem: ChainProblem;
      };
    };

/** The event store: one interface, one contract suite, an adapter per database. */
export interface EventStore {
  readonly kind: 'postgres' | 'pglite';
  /** The underlying database, for projections and read models that live beside the log. */
  readonly db: Kysely<EventStoreSchema>;
  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to many streams in one transaction: all or nothing. Each stream's expected version is
   * checked as `append` checks it, and the first that fails throws its `StreamVersionConflict` with
   * nothing written. A stream whose batch is already stored (every id, in that stream) is an
   * idempotent repeat: its result carries the originals and `wasRepeat`, and the other streams are
   * written. Results come back in the order of `appends`. Streams and event ids must not repeat.
   */
  appendMany(appends: readonly StreamAppend[], options?: AppendManyOptions): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Current version of a stream, 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  /** Current versions of many streams in one query (0 for a stream that does not exist). */
  streamVersions(streamIds: readonly string[]): Promise<Map<string, number>>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  verifyStream(streamId: string): Promise<VerifyResult>;
  /** Resolves when new events may be readable (LISTEN/NOTIFY), or after `timeoutMs`. */
  waitForEvents(timeoutMs: number): Promise<void>;
  /** True when the database answers and every migration is applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
