import type { Kysely } from 'kysely';
import { EventIdConflict } from '../errors/event-id-conflict.ts';
import { StreamVersionConflict } from '../errors/stream-version-conflict.ts';
import type { AppendManyOptions, AppendResult, StoredEvent, StreamAppend } from '../event-store.ts';
import type { EventStoreSchema } from '../schema.ts';
import type { AppendContext } from './append.ts';
import { eventIds } from './event-ids.ts';
import { backOff, checkExpectedVersion, expectsNewStream, matches, NO_STREAM } from './expected-version.ts';
import { InsertRefused } from './insert-events.ts';
import { insertMany } from './insert-many.ts';
import { type PreparedEvent, prepareEvents } from './prepare-events.ts';
import { type EventRow, toStoredEvent } from './stored-event.ts';
import { storedEventsWithIds } from './stored-ids.ts';
import type { StreamHead } from './stream-head.ts';
import { readStreamHeads } from './stream-heads.ts';
import { TransactionTx } from './transaction-tx.ts';

interface Batch extends StreamAppend {
  ids: string[];
}

// How often the whole append runs again after losing a race for a version or an id.
const MAX_ATTEMPTS = 50;

/**
 * Appends to many streams in one transaction. The heads of streams that must be new are not read:
 * the first pass reads the heads of the others in one query, chains every hash in memory and
 * inserts with a few multi-row statements. When an insert breaks a unique constraint (a stream
 * that exists after all, a repeated batch, a race), the transaction rolls back and a careful pass
 * reads every head and every stored id first, to tell a repeat from a conflict.
 */
export async function appendMany(
  context: AppendContext,
  appends: readonly StreamAppend[],
  options: AppendManyOptions = {},
): Promise<AppendResult[]> {
  const batches = checkedBatches(appends);
  if (batches.length === 0) return [];
  let isCareful = false;
  for (let attempt = 1; ; attempt++) {
    try {
      let tx: TransactionTx | undefined;
      const results = await context.db.transaction().execute((trx) => {
        tx = new TransactionTx(trx);
        return attemptOnce(trx, tx, batches, isCareful, context, options);
      });
      tx?.committed();
      // Heads are read in the transaction, so a bulk append keeps none; a remembered one would be stale.
      batches.forEach((batch, i) => {
        if (results[i]!.events.length > 0 && !results[i]!.wasRepeat) context.heads.forget(batch.streamId);
      });
      return results;
    } catch (error) {
      if (!(error instanceof InsertRefused)) throw error;
      for (const batch of batches) context.heads.forget(batch.streamId);
      if (attempt >= MAX_ATTEMPTS) throw await lostEveryRace(context.db, batches[0]!);
      if (isCareful) await backOff(attempt);
      isCareful = true;
    }
  }
}

async function lostEveryRace(db: Kysely<EventStoreSchema>, batch: Batch): Promise<StreamVersionConflict> {
  const head = (await readStreamHeads(db, [batch.streamId])).get(batch.streamId) ?? NO_STREAM;
  return new StreamVersionConflict(batch.streamId, batch.expectedVersion, head.version);
}

function checkedBatches(appends: readonly StreamAppend[]): Batch[] {
  const streams = new Set<string>();
  const ids = new Set<string>();
  return appends.map((append) => {
    checkExpectedVersion(append.expectedVersion);
    if (streams.has(append.streamId)) throw new TypeError(`Stream ${append.streamId} appears twice in one appendMany.`);
    streams.add(append.streamId);
    const batchIds = eventIds(append.events);
    for (const id of batchIds) {
      if (ids.has(id)) throw new TypeError(`Event id ${id} appears twice in one appendMany.`);
      ids.add(id);
    }
    return { ...append, ids: batchIds };
  });
}

async function attemptOnce(
  trx: Kysely<EventStoreSchema>,
  tx: TransactionTx,
  batches: readonly Batch[],
  isCareful: boolean,
  context: AppendContext,
  options: AppendManyOptions,
): Promise<AppendResult[]> {
  const unread = batches.filter((batch) => isCareful || !expectsNewStream(batch.expectedVersion));
  const heads = await readStreamHeads(
    trx,
    unread.map((batch) => batch.streamId),
  );
  const stored = isCareful
    ? storedById(
        await storedEventsWithIds(
          trx,
          batches.flatMap((batch) => batch.ids),
        ),
      )
    : null;
  const recordedAt = context.clock();
  const prepared: PreparedEvent[] = [];
  const plans = batches.map((batch): AppendResult | PreparedEvent[] => {
    const repeat = stored === null ? null : repeatOf(batch, stored);
    if (repeat !== null) return repeat;
    const head: StreamHead = heads.get(batch.streamId) ?? NO_STREAM;
    if (!matches(batch.expectedVersion, head.version)) {
      throw new StreamVersionConflict(batch.streamId, batch.expectedVersion, head.version);
    }
    if (batch.events.length === 0) return { nextExpectedVersion: head.version, events: [], wasRepeat: false };
    const events = prepareEvents(batch.streamId, batch.events, batch.ids, head, recordedAt);
    prepared.push(...events);
    return events;
  });
  const appended = prepared.length === 0 ? [] : await insertMany(trx, prepared);
  if (appended.length > 0) await options.inline?.(appended, tx);
  let next = 0;
  return plans.map((plan) => {
    if (!Array.isArray(plan)) return plan;
    const events = appended.slice(next, next + plan.length);
    next += plan.length;
    return { nextExpectedVersion: events.at(-1)!.version, events, wasRepeat: false };
  });
}

function storedById(rows: readonly EventRow[]): Map<string, EventRow> {
  return new Map(rows.map((row) => [row.event_id, row]));
}

/**
 * The stored originals when every id of the batch is already in its stream, null when none is
 * stored anywhere; any other overlap is an {@link EventIdConflict}, as for `append`.
 */
function repeatOf(batch: Batch, stored: ReadonlyMap<string, EventRow>): AppendResult | null {
  const originals = batch.ids.flatMap((id) => {
    const row = stored.get(id);
    return row === undefined ? [] : [row];
  });
  if (originals.length === 0) return null;
  const elsewhere = originals.find((row) => row.stream_id !== batch.streamId);
  if (elsewhere !== undefined) throw new EventIdConflict(elsewhere.event_id, batch.streamId, elsewhere.stream_id);
  if (originals.length < batch.ids.length)
    throw new EventIdConflict(originals[0]!.event_id, batch.streamId, batch.streamId);
  const events: StoredEvent[] = originals.map(toStoredEvent).sort((a, b) => a.version - b.version);
  return { nextExpectedVersion: events.at(-1)!.version, events, wasRepeat: true };
}
