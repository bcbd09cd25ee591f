import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../event-store.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, openStore, streamNames } from './context.ts';

/**
 * Waits until a short wait runs to its timeout, so that no wake-up from earlier appends is still on
 * its way; the time waited, in ms, of the last wait.
 */
async function quiet(store: EventStore): Promise<number> {
  let waited = 0;
  for (let attempt = 0; attempt < 10 && waited < 45; attempt++) {
    const started = Date.now();
    await store.waitForEvents(50);
    waited = Date.now() - started;
  }
  return waited;
}

export function describeWaiting(factory: EventStoreContractFactory): void {
  describe('waiting for events, and readiness', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(8);
    const newStream = streamNames();

    it('wakes a waiter on an append, long before the timeout', async () => {
      const { store } = opened;
      // The first wait starts listening; the SQL stores miss an append made while it connects.
      await store.waitForEvents(1);
      const started = Date.now();
      const waiting = store.waitForEvents(30_000);
      await store.append(newStream('wake'), [testEvent(nextId())], { expectedVersion: 'no_stream' });
      await waiting;
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('resolves after the timeout when no event comes', async () => {
      expect(await quiet(opened.store)).toBeGreaterThanOrEqual(45);
    });

    it('wakes a waiter when another process appends, long before the timeout', async () => {
      const { store } = opened;
      await quiet(store);
      const started = Date.now();
      const waiting = store.waitForEvents(30_000);
      await opened.another().append(newStream('wake-elsewhere'), [testEvent(nextId())], {
        expectedVersion: 'no_stream',
      });
      await waiting;
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('is ready', async () => {
      expect(await opened.store.isReady()).toBe(true);
    });
  });
}
