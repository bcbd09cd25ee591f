import { ANY, NO_STREAM, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import {
  appendStreamStateOf,
  revisionOf,
  streamStateAt,
  versionOf,
  versionOfRevision,
} from '../../src/kurrentdb/stream-state.ts';

describe('expected versions as KurrentDB stream states', () => {
  it('maps each expectation to the client’s stream state', () => {
    expect(appendStreamStateOf('no_stream')).toBe(NO_STREAM);
    expect(appendStreamStateOf(0)).toBe(NO_STREAM);
    expect(appendStreamStateOf('exists')).toBe(STREAM_EXISTS);
    expect(appendStreamStateOf('any')).toBe(ANY);
    // Version 1 is the first event, revision 0.
    expect(appendStreamStateOf(1)).toBe(0n);
    expect(appendStreamStateOf(42)).toBe(41n);
  });

  it('gives the state of a stream whose head is at a version', () => {
    expect(streamStateAt(0)).toBe(NO_STREAM);
    expect(streamStateAt(3)).toBe(2n);
  });

  it('reads the server’s state of a stream as our version', () => {
    expect(versionOf(NO_STREAM)).toBe(0);
    expect(versionOf(0n)).toBe(1);
    expect(versionOf(99n)).toBe(100);
    expect(versionOfRevision(2n ** 53n - 2n)).toBe(2 ** 53 - 1);
  });

  it('refuses what is not a version', () => {
    expect(() => versionOf(-5n)).toThrow(/deleted or tombstoned/);
    expect(() => versionOfRevision(2n ** 53n)).toThrow(RangeError);
    expect(() => revisionOf(0)).toThrow(TypeError);
    expect(() => revisionOf(1.5)).toThrow(TypeError);
    expect(() => appendStreamStateOf(-1)).toThrow(TypeError);
  });
});
