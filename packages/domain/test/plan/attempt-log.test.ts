import { describe, expect, it } from 'vitest';
import { type Attempt, AttemptLog } from '../../src/plan/index.ts';

const attempt = (n: number): Attempt => ({
  occurredOn: '2025-09-08',
  outcome: 'completed',
  anxietyBefore: n % 11,
  anxietyAfter: null,
  minutes: n,
  extendedBy: null,
  supportsUsed: [],
  pupilWords: null,
  round: 1,
});
const attempts = (count: number): Attempt[] => Array.from({ length: count }, (_, n) => attempt(n));

// Lengths either side of each chunk boundary, where a tail becomes a chunk.
const LENGTHS = [0, 1, 31, 32, 33, 63, 64, 65, 100, 1000];

describe("a step's attempt log", () => {
  it.each(LENGTHS)('reads as the array of its %i attempts, in order', (count) => {
    const array = attempts(count);
    const log = AttemptLog.of(array);
    expect(log.length).toBe(count);
    expect([...log]).toEqual(array);
    expect(log.toArray()).toEqual(array);
    expect(JSON.parse(JSON.stringify({ attempts: log }))).toEqual({ attempts: array });
  });

  it.each(LENGTHS)('answers at() and slice() as an array of %i does', (count) => {
    const array = attempts(count);
    const log = AttemptLog.of(array);
    for (const index of [0, 1, 31, 32, count - 1, count, -1, -20, -count, -count - 1]) {
      expect(log.at(index)).toBe(array.at(index));
    }
    for (const [start, end] of [[0], [-20], [5], [count], [count + 5], [-count - 5], [3, 40], [-40, -3], [10, 5]]) {
      expect(log.slice(start, end)).toEqual(array.slice(start, end));
    }
    expect(log.filter((a) => a.anxietyBefore === 3)).toEqual(array.filter((a) => a.anxietyBefore === 3));
  });

  it('leaves the log it was appended to as it was', () => {
    const before = AttemptLog.of(attempts(40));
    const after = before.append(attempt(40));
    expect(before.length).toBe(40);
    expect(before.toArray()).toEqual(attempts(40));
    expect(after.toArray()).toEqual(attempts(41));
  });

  it('shares every full chunk with the log it was appended to, so appending costs the same at any length', () => {
    const long = AttemptLog.of(attempts(3000));
    const longer = long.append(attempt(3000));
    expect(longer.chunks.length).toBe(long.chunks.length);
    longer.chunks.forEach((chunk, i) => {
      expect(chunk).toBe(long.chunks[i]);
    });
    expect(longer.tail.length).toBeLessThanOrEqual(32);
  });

  it('equals another log of the same attempts', () => {
    expect(AttemptLog.of(attempts(70))).toEqual(AttemptLog.of(attempts(69)).append(attempt(69)));
    expect(AttemptLog.of(attempts(70))).not.toEqual(AttemptLog.of(attempts(71)));
  });
});
