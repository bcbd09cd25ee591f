import type { EventStore, ReadStreamOptions, RecordedEvent, StoredEvent } from '@small-steps/event-store';
import { LruCache } from './lru-cache.ts';

/** An aggregate's state after `version` events of its stream, and the tenant whose caller started it. */
export interface StreamState<S> {
  version: number;
  state: S;
  ownerTenant: string;
}

/** How events fold into an aggregate's state. */
export interface Fold<S> {
  initial(): S;
  /** Folds one stored event (read through the codecs, upcasters applied). */
  evolve(state: S, event: RecordedEvent): S;
}

/** Reads many streams' events, each from its own version on, grouped by stream and each in order. */
export type StreamsReader = (from: readonly { streamId: string; fromVersion: number }[]) => Promise<StoredEvent[]>;

/** Reads a stream's events: the store's `readStream`, or a read model transaction's. */
export type StreamReader = (streamId: string, options: ReadStreamOptions) => Promise<StoredEvent[]>;

const CAPACITY = 2_000;

/**
 * The states of recently used streams, and how to get any other: read the stream past what is
 * known and fold it. Commands decide on these states and inline projections build on them, so a
 * command on a record in use replays nothing. States are immutable (the domain's evolve never
 * mutates), so a state can be shared by the cache, a command and a projection at once.
 */
export class StreamStates<S> {
  readonly #read: StreamReader;
  readonly #fold: Fold<S>;
  readonly #cache: LruCache<string, StreamState<S>>;
  readonly #proposed = new Map<string, { from: S | undefined; eventIds: string; to: StreamState<S> }>();

  constructor(store: EventStore, fold: Fold<S>, capacity = CAPACITY) {
    this.#read = (streamId, options) => store.readStream(streamId, options);
    this.#fold = fold;
    this.#cache = new LruCache(capacity);
  }

  /** The state remembered for the stream, as it is: it may be behind the stream. */
  remembered(streamId: string): StreamState<S> | undefined {
    return this.#cache.get(streamId);
  }

  /**
   * The state after the stream's first `upTo` events (default: all of them), read past what is
   * remembered with `read` (default: the store's; a projection passes its transaction's). Undefined
   * when the stream has no events.
   */
  async load(streamId: string, upTo?: number, read: StreamReader = this.#read): Promise<StreamState<S> | undefined> {
    const known = this.#cache.get(streamId);
    const base = known !== undefined && (upTo === undefined || known.version <= upTo) ? known : undefined;
    if (base !== undefined && base.version === upTo) return base;
    const fromVersion = (base?.version ?? 0) + 1;
    const events = await read(streamId, {
      fromVersion,
      ...(upTo === undefined ? {} : { maxCount: upTo - fromVersion + 1 }),
    });
    if (base === undefined && events.length === 0) return undefined;
    const loaded = this.follow(base, events);
    if (events.length > 0) this.remember(streamId, loaded);
    return loaded;
  }

  /**
   * The latest states of many streams, each read past what is remembered, all in one `read`: a pass
   * over thousands of streams, most of them unchanged since the last, reads only what is new. Streams
   * with no events are left out.
   */
  async loadAll(streamIds: readonly string[], read: StreamsReader): Promise<Map<string, StreamState<S>>> {
    const known = new Map(streamIds.map((streamId) => [streamId, this.#cache.get(streamId)]));
    const events = await read(
      streamIds.map((streamId) => ({ streamId, fromVersion: (known.get(streamId)?.version ?? 0) + 1 })),
    );
    const newer = Map.groupBy(events, (event) => event.streamId);
    const states = new Map<string, StreamState<S>>();
    for (const [streamId, base] of known) {
      const more = newer.get(streamId) ?? [];
      if (base === undefined && more.length === 0) continue;
      const loaded = this.follow(base, more);
      if (more.length > 0) this.remember(streamId, loaded);
      states.set(streamId, loaded);
    }
    return states;
  }

  /**
   * The state after `events`, which continue `from` (or start the stream). When a command proposed
   * the state its events lead to from this very state, that one is taken: an inline projection then
   * shares the command's state (and what is derived from it) instead of folding the events again.
   */
  follow(from: StreamState<S> | undefined, events: readonly RecordedEvent[]): StreamState<S> {
    const first = events[0];
    const proposed = first === undefined ? undefined : this.#proposed.get(first.streamId);
    if (proposed !== undefined && proposed.from === from?.state && proposed.eventIds === idsOf(events)) {
      return proposed.to;
    }
    const ownerTenant = from?.ownerTenant ?? first?.metadata.actor.tenant;
    if (ownerTenant === undefined) throw new TypeError('A stream with no events has no state to follow.');
    return {
      version: events.at(-1)?.version ?? from?.version ?? 0,
      state: events.reduce((state, event) => this.#fold.evolve(state, event), from?.state ?? this.#fold.initial()),
      ownerTenant,
    };
  }

  /**
   * Says that the events with these ids, appended to `streamId`, lead from state `from` (undefined
   * for a new stream) to `to`: the command folded them already. Call the function it returns once
   * the append is over, whatever its outcome.
   */
  propose(streamId: string, from: S | undefined, events: readonly { id: string }[], to: StreamState<S>): () => void {
    const proposal = { from, eventIds: idsOf(events), to };
    this.#proposed.set(streamId, proposal);
    return () => {
      if (this.#proposed.get(streamId) === proposal) this.#proposed.delete(streamId);
    };
  }

  /** Remembers a state, unless a later one of the stream is remembered already. */
  remember(streamId: string, entry: StreamState<S>): void {
    const known = this.#cache.get(streamId);
    if (known === undefined || known.version <= entry.version) this.#cache.set(streamId, entry);
  }

  forget(streamId: string): void {
    this.#cache.delete(streamId);
  }
}

const idsOf = (events: readonly { id: string }[]): string => events.map((event) => event.id.toLowerCase()).join(',');
