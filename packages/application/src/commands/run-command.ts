import type { EventCodec } from '@small-steps/contracts';
import type { Advisory, Decision } from '@small-steps/domain';
import {
  type EventStore,
  type InlineWork,
  isStreamVersionConflict,
  type NewEvent,
  type ReadModelTx,
} from '@small-steps/event-store';
import type { PersonalCipher, PersonalSubject, Projection, StreamState, StreamStates } from '@small-steps/projections';
import { ErasedSubject } from '../personal-data/personal-data-vault.ts';
import type { CommandOptions } from './command-options.ts';
import { type Answer, type CommandResult, conflict, etagFor, notFound, rejected } from './command-result.ts';
import { report } from './command-telemetry.ts';
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
  /** Whose personal data the events after a command carry (their personal parts are sealed with that pupil's key). */
  subjectOf(state: S, tenant: string): PersonalSubject | undefined;
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
  /** Checked before deciding: what the request names inside the record must exist, and may still be written. */
  check?(state: S): CommandResult | undefined | Promise<CommandResult | undefined>;
  /** The answer to give, from the state after the command. */
  respond(state: S, version: number, advisories: readonly Advisory[]): Omit<Answer, 'etag'>;
  /** Writes of the command's own that must commit with its events (destroying a key). */
  alsoWrite?(tx: ReadModelTx): Promise<void>;
}

/** What commands share: the store, the idempotency records, the one loop, and how personal data is sealed. */
export interface CommandContext {
  store: EventStore;
  records: IdempotencyRecords;
  loop: IdempotentLoop;
  cipher: PersonalCipher;
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
  const checked = await request.check?.(before);
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

  const subject = aggregate.subjectOf(after, loaded?.ownerTenant ?? principal.tenant);
  const events = await newEvents(context.cipher, subject, aggregate.codec, decision.events, request).catch(
    (error: unknown) => {
      if (error instanceof ErasedSubject) return error;
      throw error;
    },
  );
  if (events instanceof ErasedSubject) return rejected('records-erased', events.message);
  const nextVersion = version + events.length;
  const answer: Answer = { ...request.respond(after, nextVersion, advisories), etag: etagFor(nextVersion) };
  const record = idempotency && (await context.records.write(principal, idempotency, answer, subject));
  const afterState: StreamState<S> = {
    version: nextVersion,
    state: after,
    ownerTenant: loaded?.ownerTenant ?? principal.tenant,
  };
  const inline: InlineWork = async (stored, tx) => {
    await aggregate.projection.apply(stored, tx);
    if (record) await tx.execute(record);
    await request.alsoWrite?.(tx);
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
    if (error instanceof ErasedSubject) return rejected('records-erased', error.message);
    const refusal = aggregate.refusalOf?.(error);
    if (refusal !== undefined) return refusal;
    throw error;
  } finally {
    withdraw();
  }
  aggregate.states.remember(streamId, afterState);
  report({ kind: 'appended', types: events.map((event) => event.type) });
  return { outcome: 'accepted', answer };
}

/** The decision's events as stored: encoded, numbered by idempotency key, personal parts sealed. */
async function newEvents<S, C, E, X>(
  cipher: PersonalCipher,
  subject: PersonalSubject | undefined,
  codec: EventCodec<E>,
  events: readonly E[],
  request: CommandRequest<S, C, X>,
): Promise<NewEvent[]> {
  const { principal, idempotency, correlationId } = request.options;
  const idScope = `${principal.tenant}\u0000${principal.id}\u0000${request.streamId}`;
  const metadata = {
    actor: { id: principal.id, role: principal.role, tenant: principal.tenant },
    correlationId,
    causationId: null,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(idempotency ? { idempotencyKey: idempotency.key } : {}),
  };
  return Promise.all(
    events.map(async (event, index) => {
      const { personal, ...stored } = codec.encode(event);
      return {
        id: eventIdFor(idScope, idempotency?.key, index),
        ...stored,
        personal: personal === null || subject === undefined ? personal : await sealed(cipher, subject, personal),
        metadata,
      };
    }),
  );
}

const sealed = async (cipher: PersonalCipher, subject: PersonalSubject, personal: Record<string, unknown>) =>
  (await cipher.seal(subject, personal)) as Record<string, unknown>;
