import {
  ANY,
  type AppendStreamState,
  type CurrentStreamState,
  NO_STREAM,
  STREAM_EXISTS,
} from '@kurrent/kurrentdb-client';
import type { ExpectedVersion } from '../event-store.ts';

// Our versions count events from 1; KurrentDB numbers them (revisions) from 0.

/** The client's stream state for what an append expects (`no_stream`, `exists`, `any` or a version). */
export function appendStreamStateOf(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  if (expected === 'exists') return STREAM_EXISTS;
  if (expected === 'any') return ANY;
  return revisionOf(expected);
}

/** The client's state of a stream whose last event has `version` (0: there is no stream). */
export const streamStateAt = (version: number): AppendStreamState => (version === 0 ? NO_STREAM : revisionOf(version));

/** Our version of a stream in the state the server reports (0 when there is no stream). */
export function versionOf(state: CurrentStreamState): number {
  if (state === NO_STREAM) return 0;
  // A deleted (-5) or tombstoned (-6) stream reads as a negative revision; this store never makes one.
  if (state < 0n) throw new RangeError(`The stream is deleted or tombstoned in KurrentDB (state ${state}).`);
  return versionOfRevision(state);
}

/** Our version of the event with this revision. */
export function versionOfRevision(revision: bigint): number {
  const version = Number(revision) + 1;
  if (!Number.isSafeInteger(version)) throw new RangeError(`Revision ${revision} is beyond a safe version number.`);
  return version;
}

/** The revision of the event with this version (from 1). */
export function revisionOf(version: number): bigint {
  if (!(Number.isSafeInteger(version) && version >= 1))
    throw new TypeError(`Version ${version} is not a version of an event.`);
  return BigInt(version - 1);
}
