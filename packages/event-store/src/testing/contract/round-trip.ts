import { describe, expect, it } from 'vitest';
import type { EventMetadata } from '../../event-store.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, openStore, streamNames } from './context.ts';

export function describeRoundTrip(factory: EventStoreContractFactory): void {
  describe('round trip', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(2);
    const newStream = streamNames();

    it('reads back exactly what append returned, metadata and personal fields included', async () => {
      const { store } = opened;
      const stream = newStream('round-trip');
      const metadata: EventMetadata = {
        actor: { id: 'officer-7', role: 'la_officer', tenant: '330' },
        correlationId: 'correlation-7',
        causationId: 'command-7',
        reason: 'Review brought forward at the family’s request',
        occurredAt: '2026-08-31T15:30:00.000Z',
        idempotencyKey: 'key-7',
      };
      const appended = await store.append(
        stream,
        [
          testEvent(nextId(), {
            type: 'StepAttempted',
            schemaVersion: 2,
            data: { steps: [1, 2.5, -0, 1e21, 1e-7], outcome: 'continue', nested: { ü: true, a: null } },
            personal: { note: 'Likes the library at lunch 📚' },
            metadata,
          }),
          testEvent(nextId(), { metadata: { ...metadata, reason: undefined } }),
        ],
        { expectedVersion: 'no_stream' },
      );
      const read = await store.readStream(stream);
      expect(read).toEqual(appended.events);
      expect(read[0]).toMatchObject({
        type: 'StepAttempted',
        schemaVersion: 2,
        streamId: stream,
        personal: { note: 'Likes the library at lunch 📚' },
      });
      expect(read[0]?.metadata).toEqual(metadata);
      expect(read[1]?.metadata).not.toHaveProperty('reason');
      expect(read[1]?.personal).toBeNull();
      expect(typeof read[0]?.position).toBe('bigint');
      expect(typeof read[0]?.logPosition).toBe('string');
      expect(read[0]?.recordedAt).toBeInstanceOf(Date);
    });

    it('stores event ids in lower case', async () => {
      const { store } = opened;
      const id = `ABCDEF${nextId().slice(6)}`;
      expect(id.toLowerCase()).not.toBe(id);
      const { events } = await store.append(newStream('upper'), [testEvent(id)], { expectedVersion: 'any' });
      expect(events[0]?.id).toBe(id.toLowerCase());
    });
  });
}
