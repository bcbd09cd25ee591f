/**
 * The event store's server cannot take the request now (unreachable, no leader, timed out); nothing
 * is known to be written. A caller may try again; the projection runner pauses.
 */
export class EventStoreUnavailable extends Error {
  override readonly name = 'EventStoreUnavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True when `error` is an {@link EventStoreUnavailable}. */
export function isEventStoreUnavailable(error: unknown): error is EventStoreUnavailable {
  return error instanceof EventStoreUnavailable;
}
