import { describe, expect, it } from 'vitest';
import { type LogPosition, START_OF_LOG } from '../../src/event-store.ts';
import { isAfter, logPositionOfKurrent, parseKurrentPosition } from '../../src/kurrentdb/kurrent-position.ts';
import { isLogPosition } from '../../src/sql/log-position.ts';

describe('KurrentDB log positions', () => {
  it('spells the commit and prepare positions, and reads them back', () => {
    const position = { commit: 18_446_744_073_709_551_000n, prepare: 9_223_372_036_854_775_807n };
    const spelled = logPositionOfKurrent(position);
    expect(spelled).toBe('18446744073709551000:9223372036854775807');
    expect(isLogPosition(spelled)).toBe(true);
    expect(parseKurrentPosition(spelled)).toEqual(position);
  });

  it('reads the start of the log as no position: a read begins at the start of $all', () => {
    expect(parseKurrentPosition(START_OF_LOG)).toBeNull();
  });

  it.each(['', '12', '12:', ':12', '-1:0', '1:2:3', 'a:b', '1 :2', '99999999999999999999999:1'])(
    'refuses "%s" with a TypeError',
    (text) => {
      expect(() => parseKurrentPosition(text as LogPosition)).toThrow(TypeError);
    },
  );

  it('refuses a prepare position after its commit position', () => {
    expect(() => parseKurrentPosition('10:11' as LogPosition)).toThrow(/prepared before it commits/);
  });

  it('orders positions by commit, then prepare', () => {
    expect(isAfter({ commit: 2n, prepare: 0n }, { commit: 1n, prepare: 1n })).toBe(true);
    expect(isAfter({ commit: 5n, prepare: 4n }, { commit: 5n, prepare: 3n })).toBe(true);
    expect(isAfter({ commit: 5n, prepare: 3n }, { commit: 5n, prepare: 3n })).toBe(false);
    expect(isAfter({ commit: 4n, prepare: 4n }, { commit: 5n, prepare: 0n })).toBe(false);
  });
});
