import type { AppendOptions, EventStore, RecordedEvent } from '@small-steps/event-store';
import { isSealed, type PersonalDataVault } from './personal-data-vault.ts';

/**
 * The event store as everything above it reads it: each event's personal part opened (or `[erased]`),
 * whether it comes from a stream, the log, an append's result or an append's inline work. What is
 * stored, and hashed, stays sealed.
 */
export function openingStore(store: EventStore, vault: PersonalDataVault): EventStore {
  const open = async <E extends RecordedEvent>(event: E): Promise<E> =>
    isSealed(event.personal) ? { ...event, personal: (await vault.open(event.personal)) as E['personal'] } : event;
  const openAll = <E extends RecordedEvent>(events: readonly E[]) => Promise.all(events.map(open));
  const opening = <O extends Pick<AppendOptions, 'inline'>>(options: O): O =>
    options.inline === undefined
      ? options
      : { ...options, inline: async (events, tx) => options.inline!(await openAll(events), tx) };
  return {
    kind: store.kind,
    async append(streamId, events, options) {
      const result = await store.append(streamId, events, opening(options));
      return { ...result, events: await openAll(result.events) };
    },
    async appendMany(appends, options = {}) {
      const results = await store.appendMany(appends, opening(options));
      return Promise.all(results.map(async (result) => ({ ...result, events: await openAll(result.events) })));
    },
    readStream: async (streamId, options) => openAll(await store.readStream(streamId, options)),
    async readAll(options) {
      const page = await store.readAll(options);
      return { ...page, events: await openAll(page.events) };
    },
    streamVersion: (streamId) => store.streamVersion(streamId),
    streamVersions: (streamIds) => store.streamVersions(streamIds),
    verifyStream: (streamId) => store.verifyStream(streamId),
    countEventsAfter: (after, upTo) => store.countEventsAfter(after, upTo),
    waitForEvents: (timeoutMs) => store.waitForEvents(timeoutMs),
    isReady: () => store.isReady(),
    close: () => store.close(),
  };
}
