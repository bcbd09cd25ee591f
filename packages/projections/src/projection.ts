import type { ReadModelTx, RecordedEvent } from '@small-steps/event-store';

/**
 * A read model built from the log: a named handler of some event types. It runs inside an append
 * (the inline read models callers read their own writes from) or later from a checkpointed runner,
 * with the same code: everything it writes goes through `tx` and comes from the events and its
 * configuration alone (times from `recordedAt`, positions from `tx.positionOf`), so a read model
 * rebuilt from the log equals the one kept up as events were appended.
 */
export interface Projection {
  /** Stable name: the key of its checkpoint, and what a rebuild is asked for by. */
  readonly name: string;
  /** Event types it reads, a runner passes it no others; or `every`, for one that must see the whole log. */
  readonly handles: ReadonlySet<string> | 'every';
  /** The tables it writes and owns: a rebuild fills fresh copies of these. */
  readonly tables: readonly string[];
  /**
   * Whether applying these events (as `apply` is given them) needs the primary keys and unique
   * constraints of its tables: an upsert's `on conflict`, or a lookup by key, which needs their
   * indexes. A rebuild fills its copies without them as long as this says no, and builds them once
   * (docs/architecture.md, "Rebuilding a read model"). Absent: always.
   */
  needsKeys?(events: readonly RecordedEvent[]): boolean;
  /** Applies events, in log order, that are all of types it handles. */
  apply(events: readonly RecordedEvent[], tx: ReadModelTx): Promise<void>;
}

/** Whether the projection reads events of this type. */
export function handlesType(projection: Pick<Projection, 'handles'>, type: string): boolean {
  return projection.handles === 'every' || projection.handles.has(type);
}

/** The events of each stream, in order, with the streams in the order they first appear. */
export function byStream<E extends { streamId: string }>(events: readonly E[]): Map<string, E[]> {
  const streams = new Map<string, E[]>();
  for (const event of events) {
    const stream = streams.get(event.streamId);
    if (stream) stream.push(event);
    else streams.set(event.streamId, [event]);
  }
  return streams;
}
