import { convertToCommandError, ErrorType, isCommandError } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailable } from '../errors/event-store-unavailable.ts';
import { StreamVersionConflict } from '../errors/stream-version-conflict.ts';
import type { ExpectedVersion } from '../event-store.ts';
import { versionOf } from './stream-state.ts';

/** What a KurrentDB error means for the request that met it. */
export type KurrentFailure =
  /** The stream does not exist: a read finds nothing. */
  | { kind: 'absent' }
  /** The stream was not where the append expected it: `actual` is its version. */
  | { kind: 'moved'; actual: number }
  /** The server cannot take the request now. */
  | { kind: 'unavailable'; error: EventStoreUnavailable }
  /** Anything else: a fault of ours or of the configuration, thrown as it is. */
  | { kind: 'other'; error: unknown };

const UNAVAILABLE: Partial<Record<ErrorType, string>> = {
  [ErrorType.NOT_LEADER]: 'the node is not the leader',
  [ErrorType.UNAVAILABLE]: 'the server cannot be reached',
  [ErrorType.DEADLINE_EXCEEDED]: 'the request timed out',
  [ErrorType.TIMEOUT]: 'the request timed out',
  [ErrorType.CANCELLED]: 'the request was cancelled',
};

/** Sorts an error thrown by the client into what the store does about it. */
export function classifyKurrentError(thrown: unknown): KurrentFailure {
  if (!(thrown instanceof Error)) return { kind: 'other', error: thrown };
  // Some calls reject with the gRPC error itself (code 14 when no connection is established).
  const error = isCommandError(thrown) ? thrown : convertToCommandError(thrown);
  if (!isCommandError(error)) return { kind: 'other', error: thrown };
  switch (error.type) {
    case ErrorType.STREAM_NOT_FOUND:
    case ErrorType.NO_STREAM:
      return { kind: 'absent' };
    case ErrorType.WRONG_EXPECTED_VERSION:
      return { kind: 'moved', actual: versionOf(error.actualState) };
    default: {
      const why = UNAVAILABLE[error.type];
      return why === undefined
        ? { kind: 'other', error }
        : { kind: 'unavailable', error: new EventStoreUnavailable(`KurrentDB: ${why}.`, { cause: error }) };
    }
  }
}

/** The error an append throws for a client error: ours where there is one, else the original. */
export function appendError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  const failure = classifyKurrentError(error);
  if (failure.kind === 'moved') return new StreamVersionConflict(streamId, expected, failure.actual);
  if (failure.kind === 'absent') return new StreamVersionConflict(streamId, expected, 0);
  return failure.error;
}
