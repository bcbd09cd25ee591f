import type { AppendStreamRequest, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { EventIdConflict } from '../errors/event-id-conflict.ts';
import { StreamVersionConflict } from '../errors/stream-version-conflict.ts';
import type {
  AppendResult,
  ExpectedVersion,
  NewEvent,
  RecordedEvent,
  StoredEvent,
  StreamAppend,
} from '../event-store.ts';
import { backOff, checkExpectedVersion, matches } from '../sql/expected-version.ts';
import type { KnownHeads } from '../sql/known-heads.ts';
import { prepareEvents } from '../sql/prepare-events.ts';
import type { StreamHead } from '../sql/stream-head.ts';
import { eventDataOf } from './kurrent-envelope.ts';
import { classifyKurrentError } from './kurrent-errors.ts';
import type { KurrentStreams } from './kurrent-streams.ts';
import type { StreamNames } from './stream-names.ts';
import { streamStateAt } from './stream-state.ts';

export interface KurrentAppendContext {
  client: KurrentDBClient;
  names: StreamNames;
  streams: KurrentStreams;
  heads: KnownHeads;
  clock: () => Date;
}

// How often an append tries again after the stream moved under it, and after the server was away.
const MAX_ATTEMPTS = 50;
const UNAVAILABLE_ATTEMPTS = 3;
const UNAVAILABLE_PAUSE_MS = 200;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Appends to one stream. The head the events chain onto is read (or remembered) first and the
 * append is sent expecting exactly that revision, whatever the caller expected: so the server
 * refuses an append onto a head that moved, and the chain never forks. A refusal is read again:
 * a repeat, a conflict with what the caller expected, or a lost race that `any` tries again.
 */
export async function appendToKurrent(
  context: KurrentAppendContext,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  const [result] = await appendManyToKurrent(context, [{ streamId, events, expectedVersion: expected }]);
  return result!;
}

/**
 * Appends to many streams in one multi-stream append (KurrentDB 25.1 and later): all or nothing,
 * each stream expected at the head its events chain onto. Streams whose batch is a repeat are left
 * out and answered with their originals.
 */
export async function appendManyToKurrent(
  context: KurrentAppendContext,
  appends: readonly StreamAppend[],
): Promise<AppendResult[]> {
  const { client, names, heads } = context;
  checkBatches(appends);
  for (let attempt = 1; ; attempt++) {
    const planned = await inOrder(appends.map((request) => plan(context, request, attempt > 1)));
    const toWrite = planned.filter((entry): entry is Planned & { write: RecordedEvent[] } => entry.write !== null);
    if (toWrite.length === 0) return planned.map((entry) => entry.result!);
    try {
      if (toWrite.length === 1 && appends.length === 1) {
        const [only] = toWrite;
        await client.appendToStream(
          names.nameOf(only!.streamId),
          only!.write.map((event) => eventDataOf(event, names.namespace)),
          { streamState: streamStateAt(only!.head.version) },
        );
      } else {
        const requests: AppendStreamRequest[] = toWrite.map((entry) => ({
          streamName: names.nameOf(entry.streamId),
          events: entry.write.map((event) => eventDataOf(event, names.namespace)),
          expectedState: streamStateAt(entry.head.version),
        }));
        await client.multiStreamAppend(requests);
      }
    } catch (error) {
      const failure = classifyKurrentError(error);
      const moved = failure.kind === 'moved' || isConsistencyViolation(error);
      const mayRetry =
        (moved && attempt < MAX_ATTEMPTS) || (failure.kind === 'unavailable' && attempt < UNAVAILABLE_ATTEMPTS);
      for (const entry of toWrite) heads.forget(entry.streamId);
      if (!mayRetry) throw failure.kind === 'unavailable' ? failure.error : error;
      // The next pass reads every head again: the caller's expectation decides between a
      // conflict, a repeat (an earlier try that did reach the log) and another try. A server away
      // (or a follower: the client finds the leader on the next call) gets a longer pause.
      await (moved ? backOff(attempt) : pause(UNAVAILABLE_PAUSE_MS * attempt));
      continue;
    }
    // Read the written events back: only the log knows their positions.
    return Promise.all(
      planned.map(async (entry) => {
        if (entry.write === null) return entry.result!;
        const stored = await context.streams.read(entry.streamId, {
          fromVersion: entry.head.version + 1,
          maxCount: entry.write.length,
        });
        const last = stored.at(-1)!;
        heads.saw(entry.streamId, { version: last.version, hash: last.hash });
        return { nextExpectedVersion: last.version, events: stored, wasRepeat: false };
      }),
    );
  }
}

/** Every plan, or the error of the first append, in the order of the appends, that failed. */
async function inOrder(plans: Promise<Planned>[]): Promise<Planned[]> {
  const settled = await Promise.allSettled(plans);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<Planned>).value);
}

interface Planned {
  streamId: string;
  head: StreamHead;
  /** The events to send, or null when the stream's part is answered already (`result`). */
  write: RecordedEvent[] | null;
  result: AppendResult | null;
}

async function plan(
  context: KurrentAppendContext,
  { streamId, events, expectedVersion }: StreamAppend,
  afterRefusal: boolean,
): Promise<Planned> {
  const remembered = afterRefusal ? undefined : context.heads.get(streamId);
  const head =
    remembered !== undefined && (expectedVersion === 'any' || remembered.version === expectedVersion)
      ? remembered
      : expectedVersion === 'no_stream' || expectedVersion === 0
        ? afterRefusal
          ? await context.streams.head(streamId)
          : { version: 0, hash: null }
        : await context.streams.head(streamId);
  // A batch can already be in the stream only if the stream exists; `any` and `exists` never
  // refuse, so for them, and whenever the head is not what was expected, look for it.
  const mayBeRepeat =
    head.version > 0 &&
    (expectedVersion === 'any' || expectedVersion === 'exists' || !matches(expectedVersion, head.version));
  if (mayBeRepeat || afterRefusal) {
    const repeat = await findRepeat(context.streams, streamId, events);
    if (repeat !== null)
      return {
        streamId,
        head,
        write: null,
        result: { nextExpectedVersion: repeat.at(-1)!.version, events: repeat, wasRepeat: true },
      };
  }
  if (!matches(expectedVersion, head.version)) throw new StreamVersionConflict(streamId, expectedVersion, head.version);
  if (events.length === 0)
    return { streamId, head, write: null, result: { nextExpectedVersion: head.version, events: [], wasRepeat: false } };
  const ids = events.map((event) => normalId(event.id));
  const prepared = prepareEvents(streamId, events, ids, head, context.clock()).map(({ event }) => event);
  return { streamId, head, write: prepared, result: null };
}

/**
 * The stored originals when every id of the batch is in this stream, in order; null when none is.
 * Any other overlap is an {@link EventIdConflict}. KurrentDB has no index by event id, so this
 * reads the stream, and an id stored in another stream is not found (docs/architecture.md).
 */
async function findRepeat(
  streams: KurrentStreams,
  streamId: string,
  events: readonly NewEvent[],
): Promise<StoredEvent[] | null> {
  if (events.length === 0) return null;
  const wanted = new Set(events.map((event) => normalId(event.id)));
  const found: StoredEvent[] = [];
  for await (const page of streams.pages(streamId)) {
    for (const event of page) if (wanted.has(normalId(event.id))) found.push(event);
  }
  if (found.length === 0) return null;
  if (found.length < events.length) throw new EventIdConflict(found[0]!.id, streamId, streamId);
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const normalId = (id: string): string => (UUID.test(id) ? id.toLowerCase() : id);

function checkBatches(appends: readonly StreamAppend[]): void {
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const { streamId, events, expectedVersion } of appends) {
    checkExpectedVersion(expectedVersion);
    if (streams.has(streamId)) throw new TypeError(`Stream ${streamId} appears twice in one appendMany.`);
    streams.add(streamId);
    for (const event of events) {
      if (event.id.length === 0) throw new TypeError('An event id must not be empty.');
      const id = normalId(event.id);
      if (ids.has(id)) throw new TypeError(`Event id ${id} appears twice in one append.`);
      ids.add(id);
    }
  }
}

// The multi-stream append reports a stream not at its expected state as a consistency violation.
function isConsistencyViolation(error: unknown): boolean {
  return error instanceof Error && 'type' in error && error.type === 'append-consistency-violation';
}
