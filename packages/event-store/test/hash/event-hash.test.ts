import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventHash, type HashedEvent } from '../../src/hash/event-hash.ts';

const event: HashedEvent = {
  streamId: 'plan-1',
  version: 2,
  id: '00000000-0000-4000-8000-000000000002',
  type: 'StepAttempted',
  schemaVersion: 1,
  data: { step: 3, outcome: 'partly' },
  personal: null,
  metadata: { actor: { id: 'officer-1', role: 'la_officer', tenant: '201' }, correlationId: 'c-1', causationId: null },
  recordedAt: new Date('2026-09-01T08:00:00.123Z'),
  previousHash: 'a'.repeat(64),
};

describe('eventHash', () => {
  it('is the SHA-256 of the RFC 8785 form of the event, previous hash included', () => {
    const canonical =
      '{"data":{"outcome":"partly","step":3},"eventId":"00000000-0000-4000-8000-000000000002",' +
      '"metadata":{"actor":{"id":"officer-1","role":"la_officer","tenant":"201"},"causationId":null,"correlationId":"c-1"},' +
      `"personal":null,"previousHash":"${'a'.repeat(64)}","recordedAt":"2026-09-01T08:00:00.123Z",` +
      '"schemaVersion":1,"streamId":"plan-1","type":"StepAttempted","version":2}';
    expect(eventHash(event)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('does not depend on key order', () => {
    const metadata = {
      causationId: null,
      correlationId: 'c-1',
      actor: { tenant: '201', role: 'la_officer', id: 'officer-1' },
    };
    const reordered = { ...event, data: { outcome: 'partly', step: 3 }, metadata };
    expect(eventHash(reordered)).toBe(eventHash(event));
  });

  it.each([
    ['streamId', { streamId: 'plan-2' }],
    ['version', { version: 3 }],
    ['id', { id: '00000000-0000-4000-8000-000000000003' }],
    ['type', { type: 'StepMastered' }],
    ['schemaVersion', { schemaVersion: 2 }],
    ['data', { data: { step: 3, outcome: 'partlz' } }],
    ['personal', { personal: {} }],
    ['metadata', { metadata: {} }],
    ['recordedAt', { recordedAt: new Date('2026-09-01T08:00:00.124Z') }],
    ['previousHash', { previousHash: null }],
  ])('changes when %s changes', (_field, change) => {
    expect(eventHash({ ...event, ...change })).not.toBe(eventHash(event));
  });
});
