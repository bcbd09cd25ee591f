/**
 * An event as the store holds it, without the store's bookkeeping (stream, position, hash): its type,
 * the version of its payload's shape, the payload's `data`, and its personal fields in `personal`,
 * apart, so they can be encrypted per pupil. The event store's `StoredEvent` is one of these.
 */
export interface StoredPayload {
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  personal: Record<string, unknown> | null;
}
