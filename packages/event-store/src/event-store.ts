import type { ReadModelTx } from './read-model-tx.ts';

/** Who did it and why: stored with every event (docs/domain.md §5). */
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

/**
 * An event as recorded in its stream: numbered, dated and chained. What projections read; an
 * event being appended has all of this before the database gives it its place in the log.
 */
export interface RecordedEvent extends Required<Omit<NewEvent, 'personal'>> {
  personal: Record<string, unknown> | null;
  streamId: string;
  /** Version within the stream, from 1. */
  version: number;
  recordedAt: Date;
  /** Hash of the previous event in the stream; null for version 1. */
  previousHash: string | null;
  /** SHA-256 hex over the previous hash and the canonical event (RFC 8785). */
  hash: string;
}

/** An event stored in the log, with its place there. */
export interface StoredEvent extends RecordedEvent {
  /** Global position: unique in the log, increasing in the order events were inserted. */
  position: bigint;
  /** Where a read of the log continues after this event ({@link EventStore.readAll}). */
  logPosition: LogPosition;
}

/**
 * A place in the global log, opaque to callers: reads continue after it. Each store has its own
 * spelling (the SQL stores write the writing transaction's id and the position); store it as text.
 */
export type LogPosition = string & { readonly __logPosition: unique symbol };

/** Before the first event of any log. */
export const START_OF_LOG = '0' as LogPosition;

/**
 * What the caller expects of the stream before the append: `no_stream` (it must not exist),
 * `exists` (it must), `any`, or the exact current version.
 */
export type ExpectedVersion = 'no_stream' | 'exists' | 'any' | number;

/**
 * Work that commits or fails with the events: the read models a caller reads its own writes from,
 * an idempotency record. It is given the events as they will be stored and writes through `tx`.
 * A store that cannot commit writes with its events (KurrentDB) refuses it with a TypeError.
 * It may be called for an append that then stores nothing (a repeat, a refused version) and again
 * when an append is tried again: nothing it writes is kept unless the events are, and its
 * `afterCommit` effects run only for the attempt that stored them.
 */
export type InlineWork = (events: readonly RecordedEvent[], tx: ReadModelTx) => Promise<void>;

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /**
   * Runs before the events are sent; its writes go into the append's one statement (see
   * {@link ReadModelTx}): they cannot read, and no two may change the same row. An error from one of
   * them (a unique violation of a read model's own index) comes out of `append` as the database
   * raised it, with nothing stored.
   */
  inline?: InlineWork;
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
   * Runs once inside the transaction after every event is written, with all of them in the order
   * of the appends; its writes run at once and may read. It does not run when nothing was written.
   */
  inline?: InlineWork;
}

export interface ReadStreamOptions {
  /** First version to read (default 1). */
  fromVersion?: number;
  maxCount?: number;
  /** Only events recorded at or before this instant (as-of reads). */
  recordedAtOrBefore?: Date;
}

/**
 * Which events a read of the log returns ({@link ReadAllOptions.filter}): those every part given
 * admits. The others are passed over, never returned later: the read's position moves past them.
 */
export interface LogFilter {
  /** Only events recorded by a caller of this tenant (the LA code in `metadata.actor.tenant`). */
  tenant?: string;
  /** Only events of streams whose id starts with one of these (`plan-`, `pupil-`); none when empty. */
  streamIdPrefixes?: readonly string[];
  /** Only events recorded at or after this instant. */
  recordedSince?: Date;
}

export interface ReadAllOptions {
  /** Read after this position (default: the start of the log). */
  after?: LogPosition;
  /** Most events to return (default 1000). */
  maxCount?: number;
  /** Only the events this admits; the read is in log order and gap-free all the same. */
  filter?: LogFilter;
  /**
   * The most events a read with stream or time filters looks at, those it returns included
   * (default 10 × `maxCount`): of the filter's tenant, or of the whole log without one. A filter
   * that admits few events still makes a read of bounded cost, which may return nothing and a
   * position past what it looked at.
   */
  maxScanned?: number;
}

export interface ReadAllResult {
  events: StoredEvent[];
  /**
   * Where the next read continues: after the last event returned or, when a filter passed over
   * events after it, after the last of those. Equal to `after` when nothing new was safe to read.
   */
  position: LogPosition;
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

/**
 * The event store: append with an expected version (idempotent by event id), read a stream, read
 * the global log from a position, wait for new events, verify a stream's hash chain. One interface,
 * one contract suite (`@small-steps/event-store/testing`), an adapter per database.
 */
export interface EventStore {
  readonly kind: 'postgres' | 'pglite' | 'kurrentdb';
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
  /**
   * Reads the global log after a position, in log order, optionally only the events a filter
   * admits. It never skips an event whose transaction commits late: an event is read (or passed
   * over) only once every event before it in log order is committed or rolled back.
   */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  verifyStream(streamId: string): Promise<VerifyResult>;
  /**
   * How many events of the log follow a position, counted up to `upTo` (a projection's lag). The
   * SQL stores count rows; KurrentDB reads them, so it counts at most 10 000.
   */
  countEventsAfter(after: LogPosition, upTo?: number): Promise<number>;
  /** Resolves when new events may be readable (a notification or a local append), or after `timeoutMs`. */
  waitForEvents(timeoutMs: number): Promise<void>;
  /** True when the database answers and every migration is applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
