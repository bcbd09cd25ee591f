import { BACKWARDS, END, FORWARDS, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { ReadStreamOptions, StoredEvent } from '../event-store.ts';
import type { StreamHead } from '../sql/stream-head.ts';
import { storedEventOf } from './kurrent-envelope.ts';
import { classifyKurrentError } from './kurrent-errors.ts';
import type { StreamNames } from './stream-names.ts';
import { revisionOf } from './stream-state.ts';

/** Reads one of our streams from KurrentDB: a stream that does not exist reads as no events. */
export class KurrentStreams {
  readonly #client: KurrentDBClient;
  readonly #names: StreamNames;

  constructor(client: KurrentDBClient, names: StreamNames) {
    this.#client = client;
    this.#names = names;
  }

  /** The stream's events from `fromVersion`, in order, as the SQL stores read them. */
  async read(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { fromVersion = 1, maxCount, recordedAtOrBefore } = options;
    if (maxCount === 0) return [];
    const events: StoredEvent[] = [];
    for await (const event of this.#events(
      streamId,
      fromVersion,
      recordedAtOrBefore === undefined ? maxCount : undefined,
    )) {
      // Versions are recorded in order of time, so the first one too late ends the read.
      if (recordedAtOrBefore !== undefined && event.recordedAt > recordedAtOrBefore) break;
      events.push(event);
      if (events.length === maxCount) break;
    }
    return events;
  }

  /** The stream's events a page at a time (for verifying the chain and finding repeats). */
  async *pages(streamId: string, pageSize = 500): AsyncGenerator<StoredEvent[]> {
    let page: StoredEvent[] = [];
    for await (const event of this.#events(streamId, 1, undefined)) {
      page.push(event);
      if (page.length === pageSize) {
        yield page;
        page = [];
      }
    }
    yield page;
  }

  /** The stream's last event's version and hash (version 0 when there is no stream). */
  async head(streamId: string): Promise<StreamHead> {
    try {
      for await (const resolved of this.#client.readStream(this.#names.nameOf(streamId), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        if (resolved.event === undefined) continue;
        const event = storedEventOf(resolved.event, this.#names);
        return { version: event.version, hash: event.hash };
      }
      return { version: 0, hash: null };
    } catch (error) {
      return absentOr(error, { version: 0, hash: null });
    }
  }

  async *#events(streamId: string, fromVersion: number, maxCount: number | undefined): AsyncGenerator<StoredEvent> {
    try {
      const read = this.#client.readStream(this.#names.nameOf(streamId), {
        direction: FORWARDS,
        fromRevision: revisionOf(Math.max(1, fromVersion)),
        ...(maxCount === undefined ? {} : { maxCount }),
      });
      for await (const resolved of read)
        if (resolved.event !== undefined) yield storedEventOf(resolved.event, this.#names);
    } catch (error) {
      absentOr(error, undefined);
    }
  }
}

function absentOr<T>(error: unknown, absent: T): T {
  const failure = classifyKurrentError(error);
  if (failure.kind === 'absent') return absent;
  throw failure.kind === 'unavailable' ? failure.error : error;
}
