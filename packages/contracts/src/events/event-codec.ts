import type { StoredPayload } from './stored-payload.ts';
import type { UpcasterRegistry } from './upcaster-registry.ts';

/** How one aggregate's domain events are written to the store and read back from it. */
export interface EventCodec<E> {
  /** The current version of each of the aggregate's event types, and the upcasters from older ones. */
  readonly upcasters: UpcasterRegistry;
  /** The event as it is stored, at its type's current version, its personal fields in `personal`. */
  encode(event: E): StoredPayload;
  /**
   * The domain event(s) a stored payload is today: upcast to the current versions, personal fields
   * put back. Throws `UnreadableEventError` for a type or version it cannot read.
   */
  decode(stored: StoredPayload): E[];
}
