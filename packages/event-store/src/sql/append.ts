import type { Kysely } from 'kysely';
import { StreamVersionConflict } from '../errors/stream-version-conflict.ts';
import type { AppendOptions, AppendResult, ExpectedVersion, NewEvent, StoredEvent } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import { eventIds } from './event-ids.ts';
import { findRepeat } from './find-repeat.ts';
import { type PreparedEvent, prepareEvents } from './prepare-events.ts';
import { readStreamHead } from './stream-head.ts';
import { type BrokenUniqueConstraint, brokenUniqueConstraint } from './unique-violation.ts';

export interface AppendContext {
  db: Kysely<EventStoreSchema>;
  clock: () => Date;
}

/** How often `any` and `exists` appends re-read the stream after losing a race for the next version. */
const MAX_ATTEMPTS = 50;

/**
 * Appends optimistically: read the stream's head, then insert the next versions. The unique
 * (stream_id, stream_version) constraint decides races, so of two writers that read the same head
 * exactly one insert succeeds. Without an `inTransaction` hook the insert is a single autocommit
 * statement, which keeps an append to two round trips.
 */
export async function append(
  context: AppendContext,
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions,
): Promise<AppendResult> {
  const { db } = context;
  const { expectedVersion } = options;
  checkExpectedVersion(expectedVersion);
  const ids = eventIds(events);
  for (let attempt = 1; ; attempt++) {
    const head = await readStreamHead(db, streamId);
    if (!matches(expectedVersion, head.version)) {
      const repeat = ids.length === 0 ? null : await findRepeat(db, streamId, ids);
      if (repeat !== null) return repeatOf(repeat);
      throw new StreamVersionConflict(streamId, expectedVersion, head.version);
    }
    if (events.length === 0) return { nextExpectedVersion: head.version, events: [], wasRepeat: false };
    const prepared = prepareEvents(streamId, events, ids, head, context.clock());
    try {
      const appended = await insert(db, prepared, options);
      return { nextExpectedVersion: head.version + appended.length, events: appended, wasRepeat: false };
    } catch (error) {
      if (!(error instanceof InsertRefused)) throw error;
      const repeat = await findRepeat(db, streamId, ids);
      if (repeat !== null) return repeatOf(repeat);
      const mayRetry = expectedVersion === 'any' || expectedVersion === 'exists' || error.constraint === 'event_id';
      if (!mayRetry || attempt >= MAX_ATTEMPTS) {
        throw new StreamVersionConflict(streamId, expectedVersion, (await readStreamHead(db, streamId)).version);
      }
      await backOff(attempt);
    }
  }
}

/** Our own insert lost a uniqueness race; errors from the caller's hook never take this form. */
class InsertRefused extends Error {
  readonly constraint: BrokenUniqueConstraint;
  constructor(constraint: BrokenUniqueConstraint, cause: unknown) {
    super(`Insert refused by the ${constraint} constraint.`, { cause });
    this.constraint = constraint;
  }
}

async function insert(
  db: Kysely<EventStoreSchema>,
  prepared: readonly PreparedEvent[],
  options: AppendOptions,
): Promise<StoredEvent[]> {
  const { inTransaction } = options;
  if (inTransaction === undefined) return insertRows(db, prepared);
  return db.transaction().execute(async (trx) => {
    const appended = await insertRows(trx, prepared);
    await inTransaction(trx, appended);
    return appended;
  });
}

async function insertRows(db: Kysely<EventStoreSchema>, prepared: readonly PreparedEvent[]): Promise<StoredEvent[]> {
  try {
    const assigned = await db
      .insertInto('events')
      .values(prepared.map(({ row }) => row))
      .returning(['stream_version', 'position', 'transaction_id'])
      .execute();
    const byVersion = new Map(assigned.map((row) => [row.stream_version, row]));
    return prepared.map(({ event }) => {
      const row = byVersion.get(event.version)!;
      return { ...event, position: row.position, transactionId: row.transaction_id };
    });
  } catch (error) {
    const constraint = brokenUniqueConstraint(error);
    throw constraint === null ? error : new InsertRefused(constraint, error);
  }
}

/** Random, growing pauses keep writers racing for one stream from losing to each other in lockstep. */
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(attempt, 20);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function matches(expected: ExpectedVersion, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === 0;
  if (expected === 'exists') return current > 0;
  return current === expected;
}

function checkExpectedVersion(expected: ExpectedVersion): void {
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new TypeError(`Expected version ${expected} is not a whole number of events.`);
  }
}

function repeatOf(originals: StoredEvent[]): AppendResult {
  return { nextExpectedVersion: originals.at(-1)!.version, events: originals, wasRepeat: true };
}
