import type { EventCodec } from '@small-steps/contracts';
import type { Advisory, Decision } from '@small-steps/domain';
import { type EventStore, type InlineWork, isStreamVersionConflict, type NewEvent } from '@small-steps/event-store';
import type { Projection, StreamState, StreamStates } from '@small-steps/projections';
import type { CommandOptions } from './command-options.ts';
import { type Answer, type CommandResult, conflict, etagFor, notFound, rejected } from './command-result.ts';
import { eventIdFor } from './event-ids.ts';
import { type IdempotencyRecords, isKeyTaken } from './idempotency.ts';
import type { IdempotentLoop } from './idempotent-loop.ts';

/** An aggregate as commands drive it: the domain's decider, how its events are stored, and its inline read model. */
export interface Aggregate<S, C, E, X> {
  /** Its streams' states: remembered ones, or read and folded. */
  states: StreamStates<S>;
  initialState(): S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S, context: X): Decision<E>;
  codec: EventCodec<E>;
  /** Written with each append, in its statement, so callers read their own writes. */
  projection: Projection;
  /** A rule kept by a read model's unique index, when a write of the projection broke it; else undefined. */
  refusalOf?(error: unknown): CommandResult | undefined;
}

/** One command on one stream. */
export interface CommandRequest<S, C, X> {
  streamId: string;
  command: C;
  /** What the decider is told besides the state; a function when it depends on the record (a plan's school calendar). */
  context: X | ((state: S) => X);
  options: CommandOptions;
  reason?: string;
  /** For commands on an existing record: whether the caller may see it (else not found), and what not found says. */
  existing?: { isVisible(state: S): boolean; notFound: string };
  /** Checked before deciding: what the request names inside the record must exist. */
  check?(state: S): CommandResult | undefined;
  /** The answer to give, from the state after the command. */
  respond(state: S, version: number, advisories: readonly Advisory[]): Omit<Answer, 'etag'>;
}

/** What commands share: the store, the idempotency records and the one loop. */
export interface CommandContext {
  store: EventStore;
  records: IdempotencyRecords;
  loop: IdempotentLoop;
}

/**
 * Loads the stream's state, decides, and appends with an expected-version check, the inline read
 * model and the idempotency record in the append's one statement. A remembered state is decided on
 * as it is: the expected version refuses it if another writer moved the stream on (and the attempt
 * is made again on the stream as read), and a refusal decided on it is checked against the stream
 * before it is given.
 */
export function runCommand<S, C, E, X>(
  context: CommandContext,
  aggregate: Aggregate<S, C, E, X>,
  request: CommandRequest<S, C, X>,
): Promise<CommandResult> {
  const { principal, idempotency } = request.options;
  return context.loop.run(principal, idempotency, async () => {
    const remembered = aggregate.states.remembered(request.streamId);
    if (remembered === undefined) return decideAndAppend(context, aggregate, request, await load(aggregate, request));
    const result = await decideAndAppend(context, aggregate, request, remembered);
    if (result === 'again' || !isRefusal(result)) return result;
    const read = await load(aggregate, request);
    return read?.version === remembered.version ? result : decideAndAppend(context, aggregate, request, read);
  });
}

const load = <S, C, E, X>(aggregate: Aggregate<S, C, E, X>, request: CommandRequest<S, C, X>) =>
  aggregate.states.load(request.streamId);

const isRefusal = (result: CommandResult): boolean =>
  result.outcome === 'rejected' ||
  result.outcome === 'not-found' ||
  (result.outcome === 'conflict' && result.conflict === 'precondition-failed');

async function decideAndAppend<S, C, E, X>(
  context: CommandContext,
  aggregate: Aggregate<S, C, E, X>,
  request: CommandRequest<S, C, X>,
  loaded: StreamState<S> | undefined,
): Promise<CommandResult | 'again'> {
  const { streamId, options } = request;
  const { principal, idempotency, ifMatch } = options;
  const version = loaded?.version ?? 0;
  const before = loaded?.state ?? aggregate.initialState();
  // A stream belongs to the tenant whose caller started it; another tenant's record is not found, never forbidden.
  const isOwn = loaded === undefined || loaded.ownerTenant === principal.tenant;
  if (request.existing && (loaded === undefined || !isOwn || !request.existing.isVisible(before))) {
    return notFound(request.existing.notFound);
  }
  if (ifMatch !== undefined && ifMatch !== version) {
    return conflict(
      'precondition-failed',
      `If-Match names version ${ifMatch}, but the record is at version ${version}; read it again.`,
    );
  }
  const checked = request.check?.(before);
  if (checked !== undefined) return checked;
  const decisionContext =
    typeof request.context === 'function' ? (request.context as (state: S) => X)(before) : request.context;
  const decision = aggregate.decide(request.command, before, decisionContext);
  if (decision.outcome === 'rejected') return rejected(decision.rule, decision.reason);
  const advisories = decision.advisories ?? [];
  const after = decision.events.reduce(aggregate.evolve, before);
  if (decision.events.length === 0) {
    return { outcome: 'accepted', answer: { ...request.respond(after, version, advisories), etag: etagFor(version) } };
  }

  const events = newEvents(aggregate.codec, decision.events, request);
  const nextVersion = version + events.length;
  const answer: Answer = { ...request.respond(after, nextVersion, advisories), etag: etagFor(nextVersion) };
  const afterState: StreamState<S> = {
    version: nextVersion,
    state: after,
    ownerTenant: loaded?.ownerTenant ?? principal.tenant,
  };
  const inline: InlineWork = async (stored, tx) => {
    await aggregate.projection.apply(stored, tx);
    if (idempotency) await tx.execute(context.records.write(principal, idempotency, answer));
  };
  const withdraw = aggregate.states.propose(streamId, loaded?.state, events, afterState);
  try {
    const result = await context.store.append(streamId, events, {
      expectedVersion: version === 0 ? 'no_stream' : version,
      inline,
    });
    // The same derived event ids are stored already: an earlier request with this key; the loop answers.
    if (result.wasRepeat) return 'again';
  } catch (error) {
    if (isStreamVersionConflict(error)) {
      // Another writer (another replica, or a request racing this one) moved the stream on.
      aggregate.states.forget(streamId);
      return ifMatch === undefined
        ? 'again'
        : conflict('precondition-failed', 'The record changed since you read it; read it again and retry.');
    }
    if (isKeyTaken(error)) return 'again';
    const refusal = aggregate.refusalOf?.(error);
    if (refusal !== undefined) return refusal;
    throw error;
  } finally {
    withdraw();
  }
  aggregate.states.remember(streamId, afterState);
  return { outcome: 'accepted', answer };
}

function newEvents<S, C, E, X>(
  codec: EventCodec<E>,
  events: readonly E[],
  request: CommandRequest<S, C, X>,
): NewEvent[] {
  const { principal, idempotency, correlationId } = request.options;
  const idScope = `${principal.tenant}\u0000${principal.id}\u0000${request.streamId}`;
  const metadata = {
    actor: { id: principal.id, role: principal.role, tenant: principal.tenant },
    correlationId,
    causationId: null,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(idempotency ? { idempotencyKey: idempotency.key } : {}),
  };
  return events.map((event, index) => ({
    id: eventIdFor(idScope, idempotency?.key, index),
    ...codec.encode(event),
    metadata,
  }));
}
