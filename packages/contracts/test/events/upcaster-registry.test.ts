import { describe, expect, it } from 'vitest';
import { createUpcasterRegistry, type StoredPayload, UnreadableEventError } from '../../src/index.ts';

const payload = (type: string, schemaVersion: number, data: Record<string, unknown> = {}): StoredPayload => ({
  type,
  schemaVersion,
  data,
  personal: null,
});

// `Noted` went from one text (v1) to a list of lines (v2), then each line became its own event (v3).
const registry = createUpcasterRegistry({ Noted: 3, Other: 1 }, [
  {
    type: 'Noted',
    fromVersion: 2,
    upcast: ({ data }) => (data.lines as string[]).map((line) => payload('Noted', 3, { line })),
  },
  {
    type: 'Noted',
    fromVersion: 1,
    upcast: ({ data }) => [payload('Noted', 2, { lines: (data.text as string).split('\n') })],
  },
]);

describe('upcaster registry', () => {
  it('given a payload at its current version, when upcast, then it comes back as it is', () => {
    const current = payload('Noted', 3, { line: 'a' });
    expect(registry.upcast(current)).toEqual([current]);
    expect(registry.upcast(current)[0]).toBe(current);
  });

  it('given a payload two versions old, when upcast, then every upcaster applies in turn and keeps the order', () => {
    expect(registry.upcast(payload('Noted', 1, { text: 'a\nb\nc' }))).toEqual([
      payload('Noted', 3, { line: 'a' }),
      payload('Noted', 3, { line: 'b' }),
      payload('Noted', 3, { line: 'c' }),
    ]);
  });

  it('given a type nobody registered, when upcast, then the error names the type and version', () => {
    const upcasting = () => registry.upcast(payload('Vanished', 4));
    expect(upcasting).toThrow('Unknown event type Vanished (version 4)');
    expect(upcasting).toThrow(expect.objectContaining({ type: 'Vanished', schemaVersion: 4, reason: 'unknown-type' }));
  });

  it('given an old version no upcaster reads, when upcast, then the error names the type and version', () => {
    const upcasting = () => registry.upcast(payload('Other', 0));
    expect(upcasting).toThrow('No upcaster for Other version 0');
    expect(upcasting).toThrow(UnreadableEventError);
    expect(upcasting).toThrow(expect.objectContaining({ name: 'UnreadableEventError', reason: 'no-upcaster' }));
  });

  it('given a version newer than current, when upcast, then the error says a newer Small Steps wrote it', () => {
    const upcasting = () => registry.upcast(payload('Noted', 4));
    expect(upcasting).toThrow(
      'Noted version 4 was written by a newer version of Small Steps (this one reads up to version 3)',
    );
    expect(upcasting).toThrow(expect.objectContaining({ reason: 'newer-version' }));
  });

  it('given a type named like an object property, when upcast, then it is unknown rather than misread', () => {
    expect(() => registry.upcast(payload('constructor', 1))).toThrow('Unknown event type constructor (version 1)');
  });

  it('given an upcaster that skips a version, when it runs, then the registry refuses its result', () => {
    const skipping = createUpcasterRegistry({ Noted: 3 }, [
      { type: 'Noted', fromVersion: 1, upcast: () => [payload('Noted', 3)] },
    ]);
    expect(() => skipping.upcast(payload('Noted', 1))).toThrow(
      'The upcaster for Noted version 1 returned Noted version 3, not version 2',
    );
  });

  it('given an upcaster registered twice or from the current version, when the registry is made, then it throws', () => {
    const upcast = () => [];
    expect(() =>
      createUpcasterRegistry({ Noted: 3 }, [
        { type: 'Noted', fromVersion: 1, upcast },
        { type: 'Noted', fromVersion: 1, upcast },
      ]),
    ).toThrow('Two upcasters for Noted version 1');
    expect(() => createUpcasterRegistry({ Noted: 3 }, [{ type: 'Noted', fromVersion: 3, upcast }])).toThrow(
      'An upcaster for Noted version 3, but version 3 is current',
    );
  });
});
