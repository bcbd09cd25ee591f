import { describe, expect, it } from 'vitest';
import { StreamVersionConflict } from '../../errors/stream-version-conflict.ts';
import type { InlineWork, NewEvent, RecordedEvent, StoredEvent } from '../../event-store.ts';
import { sequentialUuids, testEvent } from '../test-events.ts';
import { type EventStoreContractFactory, openStore, streamNames } from './context.ts';

// What inline work is told of an event, less what only the log assigns (the positions).
const asRecorded = ({ position: _position, logPosition: _logPosition, ...recorded }: StoredEvent): RecordedEvent =>
  recorded;

/** Inline work that keeps what it was given and counts its runs and the afterCommit effects that ran. */
function watchingWork(then: () => Promise<void> = async () => {}) {
  const watched = { runs: 0, committed: 0, given: [] as RecordedEvent[], committedDuringRun: false };
  const work: InlineWork = async (events, tx) => {
    watched.runs++;
    watched.given = [...events];
    tx.afterCommit(() => {
      watched.committed++;
    });
    watched.committedDuringRun ||= watched.committed > 0;
    await then();
  };
  return { work, watched };
}

export function describeInlineWork(factory: EventStoreContractFactory): void {
  describe(factory.refusesInlineWork ? 'inline work, refused' : 'inline work', () => {
    const opened = openStore(factory);
    const nextId = sequentialUuids(12);
    const newStream = streamNames();
    const events = (count: number, fields: Partial<NewEvent> = {}) =>
      Array.from({ length: count }, () => testEvent(nextId(), fields));

    if (factory.refusesInlineWork) {
      it('refuses inline work with a TypeError, writing nothing', async () => {
        const { store } = opened;
        const [single, many] = [newStream('refused'), newStream('refused')];
        const { work, watched } = watchingWork();
        await expect(store.append(single, events(1), { expectedVersion: 'no_stream', inline: work })).rejects.toThrow(
          TypeError,
        );
        await expect(
          store.appendMany([{ streamId: many, events: events(1), expectedVersion: 'no_stream' }], { inline: work }),
        ).rejects.toThrow(TypeError);
        expect(watched.committed).toBe(0);
        expect([await store.streamVersion(single), await store.streamVersion(many)]).toEqual([0, 0]);
      });
      return;
    }

    it('gives append’s inline work the events as they are stored, and runs its effects once they are', async () => {
      const { store } = opened;
      const stream = newStream('append-inline');
      const { work, watched } = watchingWork();
      const result = await store.append(stream, events(2), { expectedVersion: 'no_stream', inline: work });
      expect(watched.runs).toBe(1);
      expect(watched.given).toEqual(result.events.map(asRecorded));
      expect(watched.committedDuringRun).toBe(false);
      expect(watched.committed).toBe(1);
    });

    it('passes on an error append’s inline work throws, storing nothing and running no effect', async () => {
      const { store } = opened;
      const stream = newStream('append-inline-throws');
      const refusal = new Error('one bad row');
      const { work, watched } = watchingWork(async () => {
        throw refusal;
      });
      await expect(store.append(stream, events(1), { expectedVersion: 'no_stream', inline: work })).rejects.toBe(
        refusal,
      );
      expect(watched.committed).toBe(0);
      expect(await store.streamVersion(stream)).toBe(0);
    });

    it('runs no effect of append’s inline work when the append is refused', async () => {
      const { store } = opened;
      const stream = newStream('append-inline-refused');
      await store.append(stream, events(1), { expectedVersion: 'no_stream' });
      const { work, watched } = watchingWork();
      await expect(store.append(stream, events(1), { expectedVersion: 'no_stream', inline: work })).rejects.toThrow(
        StreamVersionConflict,
      );
      expect(watched.committed).toBe(0);
      expect(await store.streamVersion(stream)).toBe(1);
    });

    it('runs no effect of append’s inline work for a repeat', async () => {
      const { store } = opened;
      const stream = newStream('append-inline-repeat');
      const batch = events(1);
      const { work, watched } = watchingWork();
      await store.append(stream, batch, { expectedVersion: 'no_stream', inline: work });
      const again = await store.append(stream, batch, { expectedVersion: 'no_stream', inline: work });
      const withAny = await store.append(stream, batch, { expectedVersion: 'any', inline: work });
      expect([again.wasRepeat, withAny.wasRepeat]).toEqual([true, true]);
      // The work may be called for an attempt that then turns out to be a repeat, but nothing of it commits.
      expect(watched.committed).toBe(1);
    });

    it('runs appendMany’s inline work once, with every event written, in the order of the appends', async () => {
      const { store } = opened;
      const [a, b] = [newStream('many-inline'), newStream('many-inline')];
      const { work, watched } = watchingWork();
      const results = await store.appendMany(
        [
          { streamId: a, events: events(2), expectedVersion: 'no_stream' },
          { streamId: b, events: events(1), expectedVersion: 'no_stream' },
        ],
        { inline: work },
      );
      expect(watched.runs).toBe(1);
      expect(watched.given.map((event) => [event.streamId, event.version])).toEqual([
        [a, 1],
        [a, 2],
        [b, 1],
      ]);
      expect(watched.given.map((event) => asRecorded(event as StoredEvent))).toEqual(
        results.flatMap((r) => r.events.map(asRecorded)),
      );
      expect([watched.committedDuringRun, watched.committed]).toEqual([false, 1]);
    });

    it('rolls every stream back and passes the error on unchanged when appendMany’s inline work throws', async () => {
      const { store } = opened;
      const [a, b] = [newStream('many-inline-throws'), newStream('many-inline-throws')];
      const refusal = new Error('one bad row');
      const { work, watched } = watchingWork(async () => {
        throw refusal;
      });
      const attempt = store.appendMany(
        [
          { streamId: a, events: events(1), expectedVersion: 'no_stream' },
          { streamId: b, events: events(2), expectedVersion: 'no_stream' },
        ],
        { inline: work },
      );
      await expect(attempt).rejects.toBe(refusal);
      expect(watched.runs).toBe(1);
      expect(watched.committed).toBe(0);
      expect([await store.streamVersion(a), await store.streamVersion(b)]).toEqual([0, 0]);
      expect(await store.readStream(a)).toEqual([]);
    });

    it('does not run appendMany’s inline work when every stream is a repeat or has no events', async () => {
      const { store } = opened;
      const [a, b] = [newStream('many-inline-repeat'), newStream('many-inline-repeat')];
      const batch = events(2);
      const { work, watched } = watchingWork();
      await store.appendMany([{ streamId: a, events: batch, expectedVersion: 'no_stream' }], { inline: work });
      const again = await store.appendMany(
        [
          { streamId: a, events: batch, expectedVersion: 'no_stream' },
          { streamId: b, events: [], expectedVersion: 'no_stream' },
        ],
        { inline: work },
      );
      expect(again.map((r) => r.wasRepeat)).toEqual([true, false]);
      expect([watched.runs, watched.committed]).toEqual([1, 1]);
    });
  });
}
