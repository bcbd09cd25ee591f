import type { Advisory, Decision } from '@small-steps/domain';
import {
  type EventStore,
  isStreamVersionConflict,
  type NewEvent,
  type StoredEvent,
  type StoreTransaction,
} from '@small-steps/event-store';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { LruCache } from '../lru-cache.ts';
import { HttpProblem, RuleBroken } from '../plugins/problems.ts';
import { eventIdFor } from './event-ids.ts';
import {
  findIdempotentResponse,
  type IdempotencyDb,
  IdempotencyRace,
  type IdempotencyRequest,
  type StoredResponse,
  saveIdempotentResponse,
} from './idempotency.ts';

/** An aggregate as the command runner sees it: the domain's decider plus how its events are stored. */
export interface Aggregate<S, C, E, X> {
  initialState(): S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S, context: X): Decision<E>;
  /** Splits a domain event into what is stored: personal fields travel apart from the rest. */
  toStored(event: E): Pick<NewEvent, 'type' | 'schemaVersion' | 'data' | 'personal'>;
  fromStored(event: StoredEvent): E;
}

export interface CommandEnvelope<S, C, E, X> {
  aggregate: Aggregate<S, C, E, X>;
  streamId: string;
  command: C;
  /** What the decider is told besides the state; a function when it depends on the record (a plan's school calendar). */
  context: X | ((state: S) => X);
  principal: Principal;
  correlationId: string;
  reason?: string;
  occurredAt?: string;
  /** The stream version the caller read (If-Match); a different current version is a 412. */
  ifMatch?: number;
  idempotency?: IdempotencyRequest;
  /** For commands on an existing record: whether the caller may see it (else 404), and the 404's detail. */
  existing?: { isVisible(state: S): boolean; notFound: string };
  /** Read models written in the append's transaction, so callers read their own writes. */
  project?(trx: StoreTransaction, appended: readonly StoredEvent[], state: S): Promise<void>;
  respond(state: S, version: number, advisories: Advisory[]): { statusCode: number; body: unknown };
}

export interface CommandResult extends StoredResponse {
  /** True when this answer was replayed for a repeated Idempotency-Key. */
  replayed: boolean;
}

const MAX_ATTEMPTS = 3;

export const etagFor = (version: number): string => `"${version}"`;

/** Loads the stream, decides, appends with an expected-version check, projects and records the response. */
export async function runCommand<S, C, E, X>(
  store: EventStore,
  envelope: CommandEnvelope<S, C, E, X>,
): Promise<CommandResult> {
  const db = store.db as unknown as Kysely<IdempotencyDb>;
  const { idempotency, principal } = envelope;
  for (let attempt = 1; ; attempt++) {
    // Looked up before If-Match is checked (and again after a lost race): a retry after success must not get 412.
    if (idempotency) {
      const earlier = await findIdempotentResponse(db, principal, idempotency);
      if (earlier) return { ...earlier, replayed: true };
    }
    try {
      return await attemptCommand(store, envelope);
    } catch (error) {
      // The other request's record is committed now: the lookup at the top of the loop answers.
      if (error instanceof IdempotencyRace && attempt < MAX_ATTEMPTS) continue;
      if (!isStreamVersionConflict(error)) throw error;
      if (envelope.ifMatch !== undefined) {
        throw new HttpProblem('precondition-failed', 'The record changed since you read it; read it again and retry.');
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new HttpProblem('version-conflict', 'The record is being changed by others right now; retry shortly.');
      }
    }
  }
}

async function attemptCommand<S, C, E, X>(
  store: EventStore,
  envelope: CommandEnvelope<S, C, E, X>,
): Promise<CommandResult> {
  const { aggregate, streamId, principal, idempotency } = envelope;
  const cache = stateCacheOf(store);
  const loaded = await loadState(store, cache, aggregate, streamId);
  const { version, ownerTenant } = loaded;
  let state = loaded.state;
  // A stream belongs to the tenant whose caller started it; another tenant's record is a 404, never a 403.
  const ownTenant = ownerTenant === principal.tenant;
  if (envelope.existing && (version === 0 || !ownTenant || !envelope.existing.isVisible(state))) {
    throw new HttpProblem('not-found', envelope.existing.notFound);
  }
  if (envelope.ifMatch !== undefined && envelope.ifMatch !== version) {
    throw new HttpProblem(
      'precondition-failed',
      `If-Match names version ${envelope.ifMatch}, but the record is at version ${version}; read it again.`,
    );
  }
  const context =
    typeof envelope.context === 'function' ? (envelope.context as (state: S) => X)(state) : envelope.context;
  const decision = aggregate.decide(envelope.command, state, context);
  if (decision.outcome === 'rejected') throw new RuleBroken(decision.rule, decision.reason);
  const advisories = decision.advisories ?? [];
  for (const event of decision.events) state = aggregate.evolve(state, event);
  if (decision.events.length === 0) {
    const { statusCode, body } = envelope.respond(state, version, advisories);
    return { statusCode, body, etag: etagFor(version), replayed: false };
  }

  const idScope = `${principal.tenant}\u0000${principal.id}\u0000${streamId}`;
  const newEvents: NewEvent[] = decision.events.map((event, index) => ({
    id: eventIdFor(idScope, idempotency?.key, index),
    ...aggregate.toStored(event),
    metadata: {
      actor: { id: principal.id, role: principal.role, tenant: principal.tenant },
      correlationId: envelope.correlationId,
      causationId: null,
      ...(envelope.reason ? { reason: envelope.reason } : {}),
      ...(envelope.occurredAt ? { occurredAt: envelope.occurredAt } : {}),
      ...(idempotency ? { idempotencyKey: idempotency.key } : {}),
    },
  }));
  let response: StoredResponse | undefined;
  const result = await store.append(streamId, newEvents, {
    expectedVersion: version === 0 ? 'no_stream' : version,
    inTransaction: async (trx, appended) => {
      await envelope.project?.(trx, appended, state);
      const nextVersion = version + appended.length;
      const { statusCode, body } = envelope.respond(state, nextVersion, advisories);
      response = { statusCode, body, etag: etagFor(nextVersion) };
      if (idempotency)
        await saveIdempotentResponse(trx as unknown as Kysely<IdempotencyDb>, principal, idempotency, response);
    },
  });
  if (!result.wasRepeat) {
    cache.set(streamId, { version: result.nextExpectedVersion, state, ownerTenant: ownerTenant ?? principal.tenant });
  }
  if (result.wasRepeat || !response) {
    // The same derived event ids were stored by an earlier request with this key: answer as it was answered.
    const earlier = idempotency
      ? await findIdempotentResponse(store.db as unknown as Kysely<IdempotencyDb>, principal, idempotency)
      : undefined;
    if (earlier) return { ...earlier, replayed: true };
    throw new HttpProblem('version-conflict', 'These events were already recorded by another request.');
  }
  return { ...response, replayed: false };
}

/** A stream's state as of a version, with the tenant whose caller started the stream. */
interface CachedState {
  version: number;
  state: unknown;
  ownerTenant: string;
}

/**
 * Commands on recently used records skip the replay. An entry only saves reading and folding: a
 * command still reads every event after the cached version, and the append's expected-version check
 * still decides races, so a stale entry (another replica wrote) costs a longer read, never a wrong
 * decision. States are immutable (the domain's evolve never mutates). One cache per store, so tests
 * with fresh stores never share one.
 */
type StateCache = LruCache<string, CachedState>;
const STATE_CACHE_ENTRIES = 2_000;
const stateCaches = new WeakMap<EventStore, StateCache>();

function stateCacheOf(store: EventStore): StateCache {
  let cache = stateCaches.get(store);
  if (!cache) {
    cache = new LruCache(STATE_CACHE_ENTRIES);
    stateCaches.set(store, cache);
  }
  return cache;
}

/** The stream's state: the cached one brought up to date, or a full replay. */
async function loadState<S, C, E, X>(
  store: EventStore,
  cache: StateCache,
  aggregate: Aggregate<S, C, E, X>,
  streamId: string,
): Promise<{ version: number; state: S; ownerTenant: string | undefined }> {
  const cached = cache.get(streamId);
  const events = await store.readStream(streamId, cached ? { fromVersion: cached.version + 1 } : {});
  const start = cached ? (cached.state as S) : aggregate.initialState();
  const state = events.reduce((s, e) => aggregate.evolve(s, aggregate.fromStored(e)), start);
  const version = events.at(-1)?.version ?? cached?.version ?? 0;
  const ownerTenant = cached?.ownerTenant ?? events[0]?.metadata.actor.tenant;
  if (cached && events.length > 0) cache.set(streamId, { version, state, ownerTenant: cached.ownerTenant });
  return { version, state, ownerTenant };
}
