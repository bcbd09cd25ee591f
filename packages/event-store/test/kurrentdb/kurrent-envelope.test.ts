import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/event-store.ts';
import { eventHash } from '../../src/hash/event-hash.ts';
import { withLeaderPreference } from '../../src/kurrentdb/create-kurrentdb-event-store.ts';
import { eventDataOf, storedEventOf } from '../../src/kurrentdb/kurrent-envelope.ts';
import { streamNames } from '../../src/kurrentdb/stream-names.ts';
import { prepareEvents } from '../../src/sql/prepare-events.ts';
import { TEST_METADATA, testEvent } from '../../src/testing/test-events.ts';

const names = streamNames('smallsteps');

/** Two events of one stream, chained as an append would chain them. */
function chained(): RecordedEvent[] {
  const events = [
    testEvent('00000001-0000-4000-8000-000000000001', {
      data: { planId: 'p-1', steps: [1, 2] },
      personal: { sealed: true, data: 'AAEC' },
    }),
    testEvent('plan-7#2', { metadata: { ...TEST_METADATA, causationId: 'cause-1', reason: 'asked' } }),
  ];
  return prepareEvents(
    'plan-7',
    events,
    ['00000001-0000-4000-8000-000000000001', 'plan-7#2'],
    { version: 3, hash: 'ab' },
    new Date('2026-10-15T08:30:00.123Z'),
  ).map(({ event }) => event);
}

describe('our events in KurrentDB', () => {
  it('writes the type and data as they are, and everything else as string metadata', () => {
    const [first, second] = chained().map((event) => eventDataOf(event, names.namespace));
    expect(first).toMatchObject({
      id: '00000001-0000-4000-8000-000000000001',
      type: 'SomethingHappened',
      contentType: 'application/json',
      data: { planId: 'p-1', steps: [1, 2] },
    });
    expect(Object.values(first!.metadata as object).every((value) => typeof value === 'string')).toBe(true);
    expect(first!.metadata).toMatchObject({ previousHash: 'ab', schemaVersion: '1' });
    expect(Object.keys(first!.metadata as object).some((key) => key.startsWith('$'))).toBe(false);
    // An id that is not a UUID is sent as a UUID derived from it, and kept as it was in the metadata.
    expect(second!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.metadata).toMatchObject({ eventId: 'plan-7#2' });
    expect(JSON.parse((second!.metadata as { metadata: string }).metadata)).toMatchObject({ causationId: 'cause-1' });
  });

  it('reads back the events it wrote, with their place in $all, and their hashes still verify', () => {
    const recorded = chained();
    const read = recorded.map((event, index) => {
      const data = eventDataOf(event, names.namespace);
      return storedEventOf(
        {
          streamId: names.nameOf(event.streamId),
          revision: BigInt(event.version - 1),
          type: data.type,
          data: data.data,
          metadata: data.metadata,
          position: { commit: 900n, prepare: 800n + BigInt(index) },
        },
        names,
      );
    });
    expect(read.map(({ position: _p, logPosition: _l, ...event }) => event)).toEqual(recorded);
    expect(read.map((event) => [event.position, event.logPosition])).toEqual([
      [800n, '900:800'],
      [801n, '900:801'],
    ]);
    for (const event of read) expect(eventHash(event)).toBe(event.hash);
  });

  it('reads metadata that comes back as bytes', () => {
    const [event] = chained();
    const data = eventDataOf(event!, names.namespace);
    const bytes = new TextEncoder().encode(JSON.stringify(data.metadata));
    const read = storedEventOf(
      {
        streamId: 'smallsteps.plan-7',
        revision: 3n,
        type: data.type,
        data: data.data,
        metadata: bytes,
        position: { commit: 1n, prepare: 1n },
      },
      names,
    );
    expect(read.hash).toBe(event!.hash);
  });

  it('refuses events it did not write, and streams outside its namespace', () => {
    const foreign = {
      streamId: 'smallsteps.plan-7',
      revision: 0n,
      type: 'X',
      data: {},
      metadata: {},
      position: { commit: 1n, prepare: 1n },
    };
    expect(() => storedEventOf(foreign, names)).toThrow(/not written by this store/);
    expect(() => storedEventOf({ ...foreign, streamId: 'other.plan-7' }, names)).toThrow(/not in namespace/);
    expect(() => storedEventOf({ ...foreign, data: [1] }, names)).toThrow(TypeError);
  });
});

describe('the connection string', () => {
  it('asks for the leader unless it names a node preference', () => {
    expect(withLeaderPreference('kurrentdb://localhost:2113?tls=false')).toBe(
      'kurrentdb://localhost:2113?tls=false&nodePreference=leader',
    );
    expect(withLeaderPreference('kurrentdb+discover://a:2113,b:2113')).toBe(
      'kurrentdb+discover://a:2113,b:2113?nodePreference=leader',
    );
    expect(withLeaderPreference('kurrentdb://a:2113?nodePreference=follower')).toBe(
      'kurrentdb://a:2113?nodePreference=follower',
    );
  });
});
