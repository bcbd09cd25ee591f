import { BACKWARDS, END, KurrentDBClient, streamNameFilter } from '@kurrent/kurrentdb-client';
import type { EventStore } from '../event-store.ts';
import { verifyChain } from '../hash/verify-chain.ts';
import { createWakeups, type Listen } from '../notify/wakeups.ts';
import { knownHeads } from '../sql/known-heads.ts';
import { appendManyToKurrent, appendToKurrent } from './kurrent-append.ts';
import { countNamespaceEventsAfter, readAllFromKurrent } from './kurrent-read-all.ts';
import { KurrentStreams } from './kurrent-streams.ts';
import { streamNames } from './stream-names.ts';

export interface KurrentDbEventStoreOptions {
  /**
   * A KurrentDB connection string (`KURRENTDB_URL`): `kurrentdb://host:2113?tls=false` for one node,
   * `kurrentdb+discover://…` for a cluster. The client reconnects on its own and, with
   * `nodePreference=leader` (added when absent), sends writes to the leader and follows it.
   */
  connectionString: string;
  /** The first part of every stream name (default `smallsteps`): see {@link streamNames}. */
  namespace?: string;
  /** Where `recordedAt` comes from (default: the system clock). */
  clock?: () => Date;
}

/** The default namespace of the service's streams in KurrentDB. */
export const DEFAULT_KURRENTDB_NAMESPACE = 'smallsteps';

// The most events countEventsAfter reads to count them.
const MAX_COUNTED = 10_000;

// How long a readiness probe waits for the server.
const PROBE_DEADLINE_MS = 2_000;

/**
 * An {@link EventStore} on KurrentDB. It keeps the log only: read models, idempotency records and
 * checkpoints stay in PostgreSQL or PGlite. It cannot commit their writes with its events, so it
 * refuses `inline` with a TypeError (docs/architecture.md, "KurrentDB").
 */
export function createKurrentDbEventStore(options: KurrentDbEventStoreOptions): EventStore {
  const names = streamNames(options.namespace ?? DEFAULT_KURRENTDB_NAMESPACE);
  const client = KurrentDBClient.connectionString(withLeaderPreference(options.connectionString));
  const streams = new KurrentStreams(client, names);
  const heads = knownHeads();
  const context = { client, names, streams, heads, clock: options.clock ?? (() => new Date()) };
  const wakeups = createWakeups(subscribeToNamespace(client, names.prefixesOf()));
  let closing: Promise<void> | null = null;

  const refuseInline = (inline: unknown, method: string) => {
    if (inline !== undefined)
      throw new TypeError(
        `KurrentDB cannot commit inline work with ${method}'s events: keep read models with the runner.`,
      );
  };

  return {
    kind: 'kurrentdb',
    async append(streamId, events, appendOptions) {
      refuseInline(appendOptions.inline, 'append');
      const result = await appendToKurrent(context, streamId, events, appendOptions.expectedVersion);
      if (!result.wasRepeat && result.events.length > 0) wakeups.wakeAll();
      return result;
    },
    async appendMany(appends, appendOptions = {}) {
      refuseInline(appendOptions.inline, 'appendMany');
      const results = await appendManyToKurrent(context, appends);
      if (results.some((result) => !result.wasRepeat && result.events.length > 0)) wakeups.wakeAll();
      return results;
    },
    async readStream(streamId, readOptions) {
      const events = await streams.read(streamId, readOptions);
      const last = events.at(-1);
      if (last !== undefined) heads.saw(streamId, { version: last.version, hash: last.hash });
      return events;
    },
    streamVersion: async (streamId) => (await streams.head(streamId)).version,
    async streamVersions(streamIds) {
      const unique = [...new Set(streamIds)];
      const versions = await Promise.all(unique.map(async (streamId) => (await streams.head(streamId)).version));
      return new Map(unique.map((streamId, index) => [streamId, versions[index]!]));
    },
    readAll: (readOptions) => readAllFromKurrent(client, names, readOptions),
    verifyStream: (streamId) => verifyChain(streamId, streams.pages(streamId)),
    countEventsAfter: (after, upTo = MAX_COUNTED) =>
      countNamespaceEventsAfter(client, names, after, Math.min(upTo, MAX_COUNTED)),
    waitForEvents: (timeoutMs) => wakeups.wait(timeoutMs),
    async isReady() {
      try {
        for await (const _ of client.readAll({
          direction: BACKWARDS,
          fromPosition: END,
          maxCount: 1,
          deadline: PROBE_DEADLINE_MS,
        }))
          break;
        return true;
      } catch {
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        await wakeups.close();
        await client.dispose();
      })();
      return closing;
    },
  };
}

/** Wakes waiters on every new event of the namespace: a catch-up subscription to `$all` from its end. */
function subscribeToNamespace(client: KurrentDBClient, prefixes: string[]): Listen {
  return async (onNotify, onLost) => {
    const subscription = client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes }) });
    subscription.on('data', onNotify);
    subscription.on('error', onLost);
    subscription.on('end', onLost);
    return async () => {
      subscription.off('error', onLost);
      subscription.off('end', onLost);
      // An error the subscription emits while it ends must not go unheard (an unheard 'error' throws).
      subscription.on('error', () => {});
      await subscription.unsubscribe();
    };
  };
}

/** The connection string, asking for the leader unless it names another node preference. */
export function withLeaderPreference(connectionString: string): string {
  if (/[?&]nodePreference=/i.test(connectionString)) return connectionString;
  return `${connectionString}${connectionString.includes('?') ? '&' : '?'}nodePreference=leader`;
}
