import { expect } from 'vitest';
import type { EventStore, LogPosition, StoredEvent } from '../../event-store.ts';

/**
 * Reads the log alongside writers, from `after`, until `isWriting()` is false and `expected` events
 * of interest were seen. Each page must end where its last event is (or where it began, when empty),
 * so that the next read continues strictly after what was read.
 */
export async function readAlongside(
  store: EventStore,
  after: LogPosition,
  options: { isWriting: () => boolean; isOfInterest: (event: StoredEvent) => boolean; expected: number },
): Promise<StoredEvent[]> {
  const seen: StoredEvent[] = [];
  const deadline = Date.now() + 90_000;
  let position = after;
  while (options.isWriting() || seen.length < options.expected) {
    if (Date.now() > deadline) throw new Error(`The reader saw only ${seen.length} of ${options.expected} events.`);
    const page = await store.readAll({ after: position, maxCount: 200 });
    expect(page.position).toBe(page.events.at(-1)?.logPosition ?? position);
    for (const event of page.events) if (options.isOfInterest(event)) seen.push(event);
    if (page.events.length === 0) await store.waitForEvents(20);
    position = page.position;
  }
  return seen;
}

/** Each stream's versions in the order they were read. */
export function versionsByStream(events: readonly StoredEvent[]): Map<string, number[]> {
  const versions = new Map<string, number[]>();
  for (const event of events) {
    const stream = versions.get(event.streamId) ?? [];
    stream.push(event.version);
    versions.set(event.streamId, stream);
  }
  return versions;
}
