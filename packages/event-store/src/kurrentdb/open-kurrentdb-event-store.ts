import type { EventStore } from '../event-store.ts';
import type { KurrentDbEventStoreOptions } from './create-kurrentdb-event-store.ts';

/**
 * The event store on KurrentDB. Its client (gRPC and all) takes a quarter of a second to load, a
 * fifth of an embedded start, so only a process configured for KurrentDB loads it.
 */
export async function openKurrentDbEventStore(options: KurrentDbEventStoreOptions): Promise<EventStore> {
  const { createKurrentDbEventStore } = await import('./create-kurrentdb-event-store.ts');
  return createKurrentDbEventStore(options);
}
