/**
 * Named leases held by this process, so that of several processes sharing a database one at a time
 * does a piece of work (runs a projection). A lease is lost with its holder: a process that dies
 * frees it at once for another to take.
 */
export interface Leases {
  /** Takes the lease if no other process holds it; true when this process holds it now. */
  tryTake(name: string): Promise<boolean>;
  /** Whether this process still holds the lease (false once its connection is lost). */
  isHeld(name: string): boolean;
  release(name: string): Promise<void>;
  /** Releases every lease. */
  close(): Promise<void>;
}

/** Leases for a database only one process opens (the embedded PGlite): taking one always succeeds. */
export function processLeases(): Leases {
  const held = new Set<string>();
  return {
    async tryTake(name) {
      held.add(name);
      return true;
    },
    isHeld: (name) => held.has(name),
    async release(name) {
      held.delete(name);
    },
    async close() {
      held.clear();
    },
  };
}
