import {
  AccessDeniedError,
  DeadlineExceededError,
  NO_STREAM,
  NoStreamError,
  NotLeaderError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { EventStoreUnavailable } from '../../src/errors/event-store-unavailable.ts';
import { StreamVersionConflict } from '../../src/errors/stream-version-conflict.ts';
import { appendError, classifyKurrentError } from '../../src/kurrentdb/kurrent-errors.ts';

const wrongVersion = (current: bigint | typeof NO_STREAM) =>
  new WrongExpectedVersionError(undefined, { streamName: 'ns.plan-1', expected: NO_STREAM, current });

// What the server sends when a write reaches a follower: the leader's address in the trailers.
function notLeader(): NotLeaderError {
  const trailers = { 'leader-endpoint-host': 'node-2', 'leader-endpoint-port': '2113' };
  const grpcError = Object.assign(new Error('Leader info available'), { code: 5, details: '', metadata: trailers });
  return new NotLeaderError(grpcError as unknown as ConstructorParameters<typeof NotLeaderError>[0]);
}

describe('KurrentDB errors as the store’s', () => {
  it('reads a wrong expected version as the stream’s version', () => {
    expect(classifyKurrentError(wrongVersion(4n))).toEqual({ kind: 'moved', actual: 5 });
    expect(classifyKurrentError(wrongVersion(NO_STREAM))).toEqual({ kind: 'moved', actual: 0 });
  });

  it('throws a StreamVersionConflict from an append that met one', () => {
    const error = appendError(wrongVersion(1n), 'plan-1', 'no_stream');
    expect(error).toBeInstanceOf(StreamVersionConflict);
    expect(error).toMatchObject({ streamId: 'plan-1', expected: 'no_stream', actual: 2 });
    expect(appendError(new StreamNotFoundError(undefined, 'ns.plan-1'), 'plan-1', 'exists')).toMatchObject({
      name: 'StreamVersionConflict',
      actual: 0,
    });
  });

  it('reads a stream that is not found as absent', () => {
    expect(classifyKurrentError(new StreamNotFoundError(undefined, 'ns.plan-1'))).toEqual({ kind: 'absent' });
    expect(classifyKurrentError(new NoStreamError())).toEqual({ kind: 'absent' });
  });

  it.each([
    ['a follower that is not the leader', notLeader(), /not the leader/],
    ['a server that cannot be reached', new UnavailableError(undefined, 'connect ECONNREFUSED'), /cannot be reached/],
    ['a deadline passed', new DeadlineExceededError(undefined, 'deadline'), /timed out/],
  ])('reads %s as EventStoreUnavailable, keeping the cause', (_what, error, message) => {
    const failure = classifyKurrentError(error);
    expect(failure.kind).toBe('unavailable');
    const converted = appendError(error, 'plan-1', 'any');
    expect(converted).toBeInstanceOf(EventStoreUnavailable);
    expect((converted as Error).message).toMatch(message);
    expect((converted as Error).cause).toBe(error);
  });

  it('hands back anything else as it was thrown', () => {
    const denied = new AccessDeniedError(undefined, 'access denied');
    expect(classifyKurrentError(denied)).toEqual({ kind: 'other', error: denied });
    const ours = new TypeError('a fault of ours');
    expect(appendError(ours, 'plan-1', 'any')).toBe(ours);
    expect(appendError('not an error', 'plan-1', 'any')).toBe('not an error');
  });
});
