import type { ExpectedVersion } from '../event-store.ts';
import type { StreamHead } from './stream-head.ts';

export const NO_STREAM: StreamHead = { version: 0, hash: null };

export function matches(expected: ExpectedVersion, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === 0;
  if (expected === 'exists') return current > 0;
  return current === expected;
}

export function checkExpectedVersion(expected: ExpectedVersion): void {
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new TypeError(`Expected version ${expected} is not a whole number of events.`);
  }
}

/** True when the expectation alone says the stream must not exist yet, so its head is known without reading. */
export const expectsNewStream = (expected: ExpectedVersion): boolean => expected === 'no_stream' || expected === 0;

// Random, growing pauses keep writers racing for one stream from losing to each other in lockstep.
export function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(attempt, 20);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
