import type { EventMetadata, NewEvent } from '../event-store.ts';

/** Metadata for events whose metadata a test is not about. */
export const TEST_METADATA: EventMetadata = {
  actor: { id: 'officer-1', role: 'la_officer', tenant: '201' },
  correlationId: 'correlation-1',
  causationId: null,
};

/** Returns a generator of distinct, predictable UUIDs (`…-000000000001`, `…-000000000002`, …). */
export function sequentialUuids(block = 0): () => string {
  let next = 0;
  const prefix = block.toString(16).padStart(8, '0');
  return () => {
    next++;
    return `${prefix}-0000-4000-8000-${next.toString(16).padStart(12, '0')}`;
  };
}

/** A new event with the given id; a test spells out only the fields it is about. */
export function testEvent(id: string, fields: Partial<Omit<NewEvent, 'id'>> = {}): NewEvent {
  return { id, type: 'SomethingHappened', schemaVersion: 1, data: {}, metadata: TEST_METADATA, ...fields };
}
