import type { Kysely } from 'kysely';
import { StreamVersionConflict } from '../errors/stream-version-conflict.ts';
import type { AppendOptions, AppendResult, ExpectedVersion, NewEvent, StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { eventIds } from './event-ids.ts';
import { backOff, checkExpectedVersion, expectsNewStream, matches, NO_STREAM } from './expected-version.ts';
import { findRepeat } from './find-repeat.ts';
import { InsertRefused, insertEvents } from './insert-events.ts';
import type { KnownHeads } from './known-heads.ts';
import { prepareEvents } from './prepare-events.ts';
import { readStream } from './read-stream.ts';
import { StatementTx } from './statement-tx.ts';
import { readStreamHead, type StreamHead } from './stream-head.ts';

export interface AppendContext {
  db: Kysely<EventStoreSchema>;
  clock: () => Date;
  heads: KnownHeads;
}

// How often `any` and `exists` appends try again after losing a race for the next version.
const MAX_ATTEMPTS = 50;

/**
 * Appends optimistically. The unique (stream_id, stream_version) constraint decides races, so of
 * two writers expecting the same version exactly one insert succeeds. When the head the append
 * builds on is already known (a new stream, or a version this process read or wrote), the append is
 * a single autocommit statement, inline writes included; otherwise the head is read first.
 */
export async function append(
  context: AppendContext,
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions,
): Promise<AppendResult> {
  const { db, heads } = context;
  const { expectedVersion, inline } = options;
  checkExpectedVersion(expectedVersion);
  const ids = eventIds(events);
  if (ids.length === 0) {
    const head = await readStreamHead(db, streamId);
    if (!matches(expectedVersion, head.version))
      throw new StreamVersionConflict(streamId, expectedVersion, head.version);
    return { nextExpectedVersion: head.version, events: [], wasRepeat: false };
  }
  let trustKnownHead = true;
  for (let attempt = 1; ; attempt++) {
    let head = trustKnownHead ? assumedHead(expectedVersion, heads.get(streamId)) : undefined;
    const isAssumed = head !== undefined;
    if (head === undefined) {
      head = await readStreamHead(db, streamId);
      if (!matches(expectedVersion, head.version)) {
        const repeat = await findRepeat(db, streamId, ids);
        if (repeat !== null) return repeatOf(repeat);
        throw new StreamVersionConflict(streamId, expectedVersion, head.version);
      }
    }
    const prepared = prepareEvents(streamId, events, ids, head, context.clock());
    const predecessor = isAssumed && head.version > 0 ? head : null;
    const tx = new StatementTx((id, readOptions) => readStream(db, id, readOptions));
    await inline?.(
      prepared.map(({ event }) => event),
      tx,
    );
    try {
      const appended = await insertEvents(db, prepared, streamId, predecessor, tx.writes);
      if (appended === null) {
        // The remembered head is gone: read the stream's head on the next pass.
        heads.forget(streamId);
        trustKnownHead = false;
        if (attempt >= MAX_ATTEMPTS) throw new StreamVersionConflict(streamId, expectedVersion, head.version);
        continue;
      }
      tx.committed();
      const last = appended.at(-1)!;
      heads.saw(streamId, { version: last.version, hash: last.hash });
      return { nextExpectedVersion: last.version, events: appended, wasRepeat: false };
    } catch (error) {
      if (!(error instanceof InsertRefused)) throw error;
      heads.forget(streamId);
      trustKnownHead = false;
      const repeat = await findRepeat(db, streamId, ids);
      if (repeat !== null) return repeatOf(repeat);
      const mayRetry = expectedVersion === 'any' || expectedVersion === 'exists' || error.constraint === 'event_id';
      if (!mayRetry || attempt >= MAX_ATTEMPTS) {
        throw new StreamVersionConflict(streamId, expectedVersion, (await readStreamHead(db, streamId)).version);
      }
      if (!isAssumed) await backOff(attempt);
    }
  }
}

// The head to build on without reading it, when the expectation and what this process saw pin it down.
function assumedHead(expected: ExpectedVersion, known: StreamHead | undefined): StreamHead | undefined {
  if (expectsNewStream(expected)) return NO_STREAM;
  if (known === undefined) return undefined;
  if (expected === 'any' || (expected === 'exists' && known.version > 0)) return known;
  return known.version === expected ? known : undefined;
}

function repeatOf(originals: StoredEvent[]): AppendResult {
  return { nextExpectedVersion: originals.at(-1)!.version, events: originals, wasRepeat: true };
}
