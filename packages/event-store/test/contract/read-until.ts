import type { EventStore, GlobalCheckpoint, StoredEvent } from '../../src/event-store.ts';

/**
 * Reads the global log after `after` until `isDone` holds for what was read. On a shared
 * PostgreSQL server another session's open transaction can hold the read horizon back for a
 * moment, so a test waits for the events it appended rather than expecting them on the first read.
 */
export async function readUntil(
  store: EventStore,
  after: GlobalCheckpoint,
  isDone: (events: StoredEvent[]) => boolean,
  { timeoutMs = 10_000, maxCount = 1000 } = {},
): Promise<{ events: StoredEvent[]; checkpoint: GlobalCheckpoint }> {
  const deadline = Date.now() + timeoutMs;
  const events: StoredEvent[] = [];
  let checkpoint = after;
  while (!isDone(events)) {
    if (Date.now() > deadline) throw new Error(`Log read timed out after ${events.length} events.`);
    const page = await store.readAll({ after: checkpoint, maxCount });
    events.push(...page.events);
    checkpoint = page.checkpoint;
    if (page.events.length === 0) await store.waitForEvents(20);
  }
  return { events, checkpoint };
}

/** The checkpoint at the end of the log as it can be read now. */
export async function endOfLog(store: EventStore): Promise<GlobalCheckpoint> {
  let checkpoint: GlobalCheckpoint | undefined;
  for (;;) {
    const page = await store.readAll(checkpoint === undefined ? {} : { after: checkpoint });
    if (page.events.length === 0) return page.checkpoint;
    checkpoint = page.checkpoint;
  }
}

/** Orders checkpoints as readAll does: by transaction id, then position. */
export function compareCheckpoints(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  return a.position === b.position ? 0 : a.position < b.position ? -1 : 1;
}
