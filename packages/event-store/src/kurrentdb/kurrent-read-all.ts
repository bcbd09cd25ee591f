import { type KurrentDBClient, START, streamNameFilter } from '@kurrent/kurrentdb-client';
import {
  type LogPosition,
  type ReadAllOptions,
  type ReadAllResult,
  START_OF_LOG,
  type StoredEvent,
} from '../event-store.ts';
import { storedEventOf } from './kurrent-envelope.ts';
import { classifyKurrentError } from './kurrent-errors.ts';
import { isAfter, parseKurrentPosition } from './kurrent-position.ts';
import type { StreamNames } from './stream-names.ts';

/**
 * Reads `$all` after a position. `$all` holds only committed events in commit order, so no event
 * can commit later behind a position already read. Without a tenant or time filter, the server
 * filters to the namespace's streams with the given prefixes. With one, it filters to the
 * namespace, and the prefixes, tenant and time are checked here on at most `maxScanned` of its
 * events (every tenant's: the SQL stores count only the filter tenant's, through their index),
 * and the position moves past every event looked at.
 */
export async function readAllFromKurrent(
  client: KurrentDBClient,
  names: StreamNames,
  options: ReadAllOptions = {},
): Promise<ReadAllResult> {
  const { after = START_OF_LOG, maxCount = 1000, filter = {} } = options;
  const from = parseKurrentPosition(after);
  const prefixes = filter.streamIdPrefixes;
  if (maxCount <= 0 || prefixes?.length === 0) return { events: [], position: after };
  const scans = filter.tenant !== undefined || filter.recordedSince !== undefined;
  const limit = scans ? Math.max(1, options.maxScanned ?? 10 * maxCount) : maxCount;
  const serverPrefixes = names.prefixesOf(scans ? undefined : prefixes);
  const admits = (event: StoredEvent) =>
    (!scans || prefixes === undefined || prefixes.some((prefix) => event.streamId.startsWith(prefix))) &&
    (filter.tenant === undefined || event.metadata.actor.tenant === filter.tenant) &&
    (filter.recordedSince === undefined || event.recordedAt >= filter.recordedSince);

  const events: StoredEvent[] = [];
  let position: LogPosition = after;
  let looked = 0;
  try {
    const read = client.readAll({
      fromPosition: from ?? START,
      // One more: a read from a position may begin with the event at it.
      maxCount: limit + 1,
      filter: streamNameFilter({ prefixes: serverPrefixes }),
    });
    for await (const resolved of read) {
      const record = resolved.event;
      if (record === undefined || (from !== null && !isAfter(record.position, from))) continue;
      const event = storedEventOf(record, names);
      position = event.logPosition;
      looked++;
      if (admits(event)) events.push(event);
      if (events.length === maxCount || looked === limit) break;
    }
  } catch (error) {
    const failure = classifyKurrentError(error);
    throw failure.kind === 'unavailable' ? failure.error : error;
  }
  return { events, position: events.length === 0 && looked === 0 ? after : position };
}

/** How many of the namespace's events follow `after`, up to `upTo`: read, since `$all` has no count. */
export async function countNamespaceEventsAfter(
  client: KurrentDBClient,
  names: StreamNames,
  after: LogPosition,
  upTo: number,
): Promise<number> {
  let counted = 0;
  for (let position = after; counted < upTo; ) {
    const page = await readAllFromKurrent(client, names, { after: position, maxCount: Math.min(1000, upTo - counted) });
    if (page.events.length === 0) break;
    counted += page.events.length;
    position = page.position;
  }
  return counted;
}
