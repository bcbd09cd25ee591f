import type { ExpectedVersion } from '../event-store.ts';

/** The stream was not at the version the append expected; nothing was written. */
export class StreamVersionConflict extends Error {
  override readonly name = 'StreamVersionConflict';
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  /** The stream's version when the append was refused (0 when it does not exist). */
  readonly actual: number;

  constructor(streamId: string, expected: ExpectedVersion, actual: number) {
    super(`Stream ${streamId} is at version ${actual}, but the append expected ${describe(expected)}.`);
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** True when `error` is a {@link StreamVersionConflict}. */
export function isStreamVersionConflict(error: unknown): error is StreamVersionConflict {
  return error instanceof StreamVersionConflict;
}

function describe(expected: ExpectedVersion): string {
  if (expected === 'no_stream') return 'no stream';
  if (expected === 'exists') return 'an existing stream';
  if (expected === 'any') return 'any version';
  return `version ${expected}`;
}
