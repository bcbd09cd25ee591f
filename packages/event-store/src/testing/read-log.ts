import type { EventStore, LogPosition, StoredEvent } from '../event-store.ts';

/**
 * Reads the global log after `after` until `isDone` holds for what was read. On a shared
 * PostgreSQL server another session's open transaction can hold the read horizon back for a
 * moment, so a test waits for the events it appended rather than expecting them on the first read.
 */
export async function readUntil(
  store: EventStore,
  after: LogPosition,
  isDone: (events: StoredEvent[]) => boolean,
  { timeoutMs = 10_000, maxCount = 1000 } = {},
): Promise<{ events: StoredEvent[]; position: LogPosition }> {
  const deadline = Date.now() + timeoutMs;
  const events: StoredEvent[] = [];
  let position = after;
  while (!isDone(events)) {
    if (Date.now() > deadline) throw new Error(`Log read timed out after ${events.length} events.`);
    const page = await store.readAll({ after: position, maxCount });
    events.push(...page.events);
    position = page.position;
    if (page.events.length === 0) await store.waitForEvents(20);
  }
  return { events, position };
}

/** The position at the end of the log as it can be read now. */
export async function endOfLog(store: EventStore): Promise<LogPosition> {
  let position: LogPosition | undefined;
  for (;;) {
    const page = await store.readAll(position === undefined ? {} : { after: position });
    if (page.events.length === 0) return page.position;
    position = page.position;
  }
}
