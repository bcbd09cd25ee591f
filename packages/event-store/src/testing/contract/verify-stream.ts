import { describe, expect, it } from 'vitest';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { describeUnless, type EventStoreContractFactory, missingHook, openStore, streamNames } from './context.ts';

export function describeVerifyStream(factory: EventStoreContractFactory): void {
  describe('verifyStream', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(7);
    const newStream = streamNames();

    it('passes an untouched stream, whatever key order and number spelling the database hands back', async () => {
      const { store } = opened;
      const stream = newStream('verify');
      const { events } = await store.append(
        stream,
        [
          testEvent(nextId(), { data: { zeta: 1, alpha: { z: [3, 2, 1], a: 1.5e-7 }, long: 'x'.repeat(300) } }),
          testEvent(nextId(), { data: { big: 123456789012345, tiny: 5e-324, float: 0.1 }, personal: { b: 2, a: 1 } }),
        ],
        { expectedVersion: 'no_stream' },
      );
      expect(await store.verifyStream(stream)).toEqual({
        ok: true,
        streamId: stream,
        eventsChecked: 2,
        lastHash: events[1]?.hash,
      });
    });

    it('passes a stream that does not exist, having checked nothing', async () => {
      const stream = newStream('verify-missing');
      expect(await opened.store.verifyStream(stream)).toEqual({
        ok: true,
        streamId: stream,
        eventsChecked: 0,
        lastHash: null,
      });
    });

    describeUnless(missingHook(factory, 'tamper'), 'a tampered stream', () => {
      it('reports the one event whose stored data changed by one byte', async () => {
        const { store } = opened;
        const stream = newStream('tampered');
        const { events } = await store.append(
          stream,
          [1, 2, 3].map((n) => testEvent(nextId(), { data: { note: `calm morning ${n}` } })),
          { expectedVersion: 'no_stream' },
        );
        await opened.tamper.changeData(stream, 2, { note: 'calm mornin! 2' });
        const result = await store.verifyStream(stream);
        expect(result).toMatchObject({
          ok: false,
          streamId: stream,
          eventsChecked: 1,
          firstBroken: {
            version: 2,
            position: events[1]?.position,
            storedHash: events[1]?.hash,
            problem: 'hash mismatch',
          },
        });
        expect(result.ok === false && result.firstBroken.expectedHash).toMatch(/^[0-9a-f]{64}$/);
        expect(result.ok === false && result.firstBroken.expectedHash).not.toBe(events[1]?.hash);
      });

      it('reports a previous hash that does not link', async () => {
        const { store } = opened;
        const stream = newStream('relinked');
        await store.append(stream, [testEvent(nextId()), testEvent(nextId())], { expectedVersion: 'no_stream' });
        await opened.tamper.relink(stream, 2);
        expect(await store.verifyStream(stream)).toMatchObject({
          ok: false,
          eventsChecked: 1,
          firstBroken: { version: 2, problem: 'previous hash does not link' },
        });
      });

      it('reports a missing version', async () => {
        const { store } = opened;
        const stream = newStream('gapped');
        await store.append(
          stream,
          [1, 2, 3].map(() => testEvent(nextId())),
          { expectedVersion: 'no_stream' },
        );
        await opened.tamper.remove(stream, 2);
        expect(await store.verifyStream(stream)).toMatchObject({
          ok: false,
          eventsChecked: 1,
          firstBroken: { version: 3, problem: 'version gap' },
        });
      });
    });
  });
}
