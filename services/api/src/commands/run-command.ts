import type { Advisory, Decision } from '@small-steps/domain';
import { type EventStore, isStreamVersionConflict, type NewEvent, type StoredEvent } from '@small-steps/event-store';
import type { Kysely, RawBuilder } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { LruCache } from '../lru-cache.ts';
import { HttpProblem, RuleBroken } from '../plugins/problems.ts';
import { eventIdFor } from './event-ids.ts';
import {
  asIdempotencyRace,
  findIdempotentResponse,
  type IdempotencyDb,
  IdempotencyRace,
  type IdempotencyRequest,
  idempotentResponseWrite,
  type StoredResponse,
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
  /** Read models written with the append, in its one statement, so callers read their own writes. */
  project?(change: { before: S; after: S; version: number }): InlineProjection;
  respond(state: S, version: number, advisories: Advisory[]): { statusCode: number; body: unknown };
}

/** What a command writes besides its events: statements sent with the append (the event store's `alongside`). */
export interface InlineProjection {
  writes: readonly RawBuilder<unknown>[];
  /** The answer to an error one of the writes raised (a unique index keeping a rule), or undefined if it is not theirs. */
  refusal?(error: unknown): Error | undefined;
}

export interface CommandResult extends StoredResponse {
  /** True when this answer was replayed for a repeated Idempotency-Key. */
  replayed: boolean;
  /** The `Prefer` preference this answer honours, for the `Preference-Applied` header. */
  preferenceApplied?: string;
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
      // Another writer (another replica, or a request racing this one) moved the stream on: read it next time.
      stateCacheOf(store).delete(envelope.streamId);
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
  const cache = stateCacheOf(store);
  const cached = await loadState(store, cache, envelope.aggregate, envelope.streamId, { read: false });
  try {
    return await decideAndAppend(store, cache, envelope, cached);
  } catch (error) {
    // A refusal decided on a remembered state is checked against the stream before it is given.
    if (cached.wasRead || !(error instanceof HttpProblem || error instanceof RuleBroken)) throw error;
    const read = await loadState(store, cache, envelope.aggregate, envelope.streamId, { read: true });
    if (read.version === cached.version) throw error;
    return decideAndAppend(store, cache, envelope, read);
  }
}

async function decideAndAppend<S, C, E, X>(
  store: EventStore,
  cache: StateCache,
  envelope: CommandEnvelope<S, C, E, X>,
  loaded: LoadedState<S>,
): Promise<CommandResult> {
  const { aggregate, streamId, principal, idempotency } = envelope;
  const { version, ownerTenant, state: before } = loaded;
  // A stream belongs to the tenant whose caller started it; another tenant's record is a 404, never a 403.
  const ownTenant = ownerTenant === principal.tenant;
  if (envelope.existing && (version === 0 || !ownTenant || !envelope.existing.isVisible(before))) {
    throw new HttpProblem('not-found', envelope.existing.notFound);
  }
  if (envelope.ifMatch !== undefined && envelope.ifMatch !== version) {
    throw new HttpProblem(
      'precondition-failed',
      `If-Match names version ${envelope.ifMatch}, but the record is at version ${version}; read it again.`,
    );
  }
  const context =
    typeof envelope.context === 'function' ? (envelope.context as (state: S) => X)(before) : envelope.context;
  const decision = aggregate.decide(envelope.command, before, context);
  if (decision.outcome === 'rejected') throw new RuleBroken(decision.rule, decision.reason);
  const advisories = decision.advisories ?? [];
  const after = decision.events.reduce((state, event) => aggregate.evolve(state, event), before);
  if (decision.events.length === 0) {
    const { statusCode, body } = envelope.respond(after, version, advisories);
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
  const nextVersion = version + newEvents.length;
  const { statusCode, body } = envelope.respond(after, nextVersion, advisories);
  const response: StoredResponse = { statusCode, body, etag: etagFor(nextVersion) };
  const projection = envelope.project?.({ before, after, version: nextVersion });
  const alongside = [
    ...(projection?.writes ?? []),
    ...(idempotency ? [idempotentResponseWrite(principal, idempotency, response)] : []),
  ];
  const result = await store
    .append(streamId, newEvents, { expectedVersion: version === 0 ? 'no_stream' : version, alongside })
    .catch((error: unknown) => {
      throw projection?.refusal?.(error) ?? asIdempotencyRace(error);
    });
  if (result.wasRepeat) {
    // The same derived event ids were stored by an earlier request with this key: answer as it was answered.
    const earlier = idempotency
      ? await findIdempotentResponse(store.db as unknown as Kysely<IdempotencyDb>, principal, idempotency)
      : undefined;
    if (earlier) return { ...earlier, replayed: true };
    throw new HttpProblem('version-conflict', 'These events were already recorded by another request.');
  }
  cache.set(streamId, {
    version: result.nextExpectedVersion,
    state: after,
    ownerTenant: ownerTenant ?? principal.tenant,
  });
  return { ...response, replayed: false };
}

/** A stream's state as of a version, with the tenant whose caller started the stream. */
interface CachedState {
  version: number;
  state: unknown;
  ownerTenant: string;
}

/**
 * Commands on recently used records skip the replay and the read: the cached state is decided on
 * as it is, and the append's expected-version check decides whether it was current. A stale entry
 * (another replica wrote) costs a refused append and a read, never a wrong decision; a refusal
 * (404, 412, a broken rule) made on a cached state is checked against the stream before it is
 * given. States are immutable (the domain's evolve never mutates). One cache per store, so tests
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

interface LoadedState<S> {
  version: number;
  state: S;
  ownerTenant: string | undefined;
  /** False when the state is the cached one, taken without asking the store for later events. */
  wasRead: boolean;
}

/**
 * The stream's state. With `read: false` a cached state is trusted as it is: the append's
 * expected-version check refuses it if the stream moved on, and a refusal is checked again with
 * `read: true`, which brings the cached state up to date (or replays the whole stream).
 */
async function loadState<S, C, E, X>(
  store: EventStore,
  cache: StateCache,
  aggregate: Aggregate<S, C, E, X>,
  streamId: string,
  { read }: { read: boolean },
): Promise<LoadedState<S>> {
  const cached = cache.get(streamId);
  if (cached && !read) {
    return { version: cached.version, state: cached.state as S, ownerTenant: cached.ownerTenant, wasRead: false };
  }
  const events = await store.readStream(streamId, cached ? { fromVersion: cached.version + 1 } : {});
  const start = cached ? (cached.state as S) : aggregate.initialState();
  const state = events.reduce((s, e) => aggregate.evolve(s, aggregate.fromStored(e)), start);
  const version = events.at(-1)?.version ?? cached?.version ?? 0;
  const ownerTenant = cached?.ownerTenant ?? events[0]?.metadata.actor.tenant;
  if (ownerTenant !== undefined && events.length > 0) cache.set(streamId, { version, state, ownerTenant });
  return { version, state, ownerTenant, wasRead: true };
}
