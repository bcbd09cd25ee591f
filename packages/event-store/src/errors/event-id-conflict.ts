/**
 * An event id in the batch is already stored, in another stream or as part of a different batch
 * in this one; nothing was written. A batch whose ids are all stored in this stream is a repeat instead.
 */
export class EventIdConflict extends Error {
  override readonly name = 'EventIdConflict';
  readonly eventId: string;
  /** The stream the append targeted. */
  readonly streamId: string;
  /** The stream that already holds the event id. */
  readonly storedInStreamId: string;

  constructor(eventId: string, streamId: string, storedInStreamId: string) {
    super(
      storedInStreamId === streamId
        ? `Event ${eventId} is already stored in stream ${streamId}, but the batch is not a repeat of what was stored.`
        : `Event ${eventId} is already stored in stream ${storedInStreamId}, not ${streamId}.`,
    );
    this.eventId = eventId;
    this.streamId = streamId;
    this.storedInStreamId = storedInStreamId;
  }
}

/** True when `error` is an {@link EventIdConflict}. */
export function isEventIdConflict(error: unknown): error is EventIdConflict {
  return error instanceof EventIdConflict;
}
