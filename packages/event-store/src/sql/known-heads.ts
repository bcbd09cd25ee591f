import type { StreamHead } from './stream-head.ts';

/**
 * The latest version and hash this process has seen per stream. Stored events never change, so an
 * entry stays a true fact about its version even when the stream has moved on; an append that
 * relies on one is guarded by the predecessor's hash and by the unique version constraint.
 */
export interface KnownHeads {
  get(streamId: string): StreamHead | undefined;
  /** Records that `head.version` of the stream has `head.hash`, unless a later version is known. */
  saw(streamId: string, head: StreamHead): void;
  forget(streamId: string): void;
}

export function knownHeads(capacity = 10_000): KnownHeads {
  const heads = new Map<string, StreamHead>();
  return {
    get: (streamId) => heads.get(streamId),
    saw(streamId, head) {
      const known = heads.get(streamId);
      if (known !== undefined && known.version > head.version) return;
      heads.delete(streamId);
      heads.set(streamId, head);
      // Maps iterate in insertion order, so the first key is the stream least recently seen.
      if (heads.size > capacity) heads.delete(heads.keys().next().value!);
    },
    forget(streamId) {
      heads.delete(streamId);
    },
  };
}
