import { describe, expect, it } from 'vitest';
import { EventStoreUnavailable } from '../../src/errors/event-store-unavailable.ts';
import type { EventStore } from '../../src/event-store.ts';
import { createKurrentDbEventStore } from '../../src/kurrentdb/create-kurrentdb-event-store.ts';
import { describeUnless } from '../../src/testing/contract/context.ts';
import { endOfLog, kurrentDbServer, readUntil, sequentialUuids, testEvent } from '../../src/testing/index.ts';

// What the contract cannot say of KurrentDB: namespaces, its positions, ids that are not UUIDs.
const server = await kurrentDbServer();
const skipReason = server.connectionString === null ? server.reason : null;

describeUnless(skipReason, 'the KurrentDB event store', () => {
  const nextId = sequentialUuids(41);
  const open = (namespace: string): EventStore =>
    createKurrentDbEventStore({ connectionString: server.connectionString!, namespace });
  const suffix = Date.now().toString(36);

  it('keeps each namespace’s streams and log apart', async () => {
    const [ours, theirs] = [open(`a${suffix}`), open(`b${suffix}`)];
    try {
      const after = await endOfLog(ours);
      await theirs.append('plan-1', [testEvent(nextId())], { expectedVersion: 'no_stream' });
      const { events } = await ours.append('plan-1', [testEvent(nextId())], { expectedVersion: 'no_stream' });
      expect(await ours.streamVersion('plan-1')).toBe(1);
      const read = await readUntil(ours, after, (seen) => seen.length >= 1);
      expect(read.events.map((event) => event.id)).toEqual(events.map((event) => event.id));
      expect(read.events[0]!.logPosition).toMatch(/^\d+:\d+$/);
    } finally {
      await Promise.all([ours.close(), theirs.close()]);
    }
  });

  it('stores an id that is not a UUID as it was given, and sees it again as a repeat', async () => {
    const store = open(`c${suffix}`);
    try {
      const batch = [testEvent('upload-1#1'), testEvent('upload-1#2')];
      const first = await store.append('attendance-1', batch, { expectedVersion: 'no_stream' });
      expect(first.events.map((event) => event.id)).toEqual(['upload-1#1', 'upload-1#2']);
      const again = await store.append('attendance-1', batch, { expectedVersion: 'any' });
      expect(again).toEqual({ ...first, wasRepeat: true });
    } finally {
      await store.close();
    }
  });

  it('answers ready while the server does, and wakes a waiter on another process’s append', async () => {
    const [store, other] = [open(`d${suffix}`), open(`d${suffix}`)];
    try {
      expect(await store.isReady()).toBe(true);
      await store.waitForEvents(10);
      const started = Date.now();
      const waiting = store.waitForEvents(10_000);
      await other.append('plan-2', [testEvent(nextId())], { expectedVersion: 'no_stream' });
      await waiting;
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await Promise.all([store.close(), other.close()]);
    }
  });
});

describe('a KurrentDB store with no server', () => {
  it('answers not ready, refuses reads and appends with EventStoreUnavailable, and still wakes waiters', async () => {
    const store = createKurrentDbEventStore({ connectionString: 'kurrentdb://127.0.0.1:1?tls=false' });
    try {
      expect(await store.isReady()).toBe(false);
      const event = testEvent('00000029-0000-4000-8000-000000000001');
      await expect(store.append('plan-1', [event], { expectedVersion: 'no_stream' })).rejects.toThrow(
        EventStoreUnavailable,
      );
      await expect(store.streamVersion('plan-1')).rejects.toThrow(EventStoreUnavailable);
      await expect(store.readAll()).rejects.toThrow(EventStoreUnavailable);
      // A waiter still wakes: on the lost subscription or at its timeout, never later.
      const started = Date.now();
      await store.waitForEvents(300);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await store.close();
    }
  });

  it('refuses inline work with a TypeError before it reaches for the server', async () => {
    const store = createKurrentDbEventStore({ connectionString: 'kurrentdb://127.0.0.1:1?tls=false' });
    try {
      const event = testEvent('00000029-0000-4000-8000-000000000002');
      await expect(
        store.append('plan-1', [event], { expectedVersion: 'no_stream', inline: async () => {} }),
      ).rejects.toThrow(TypeError);
      await expect(
        store.appendMany([{ streamId: 'plan-1', events: [event], expectedVersion: 'no_stream' }], {
          inline: async () => {},
        }),
      ).rejects.toThrow(/keep read models with the runner/);
    } finally {
      await store.close();
    }
  });
});
