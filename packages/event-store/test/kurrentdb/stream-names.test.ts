import { describe, expect, it } from 'vitest';
import { kurrentEventId } from '../../src/kurrentdb/event-uuid.ts';
import { streamNames } from '../../src/kurrentdb/stream-names.ts';

describe('KurrentDB stream names', () => {
  const names = streamNames('smallsteps');

  it('puts our streams in the namespace, and reads their ids back', () => {
    expect(names.nameOf('plan-7f0c')).toBe('smallsteps.plan-7f0c');
    expect(names.nameOf('attendance-801-100001-2026-10-15')).toBe('smallsteps.attendance-801-100001-2026-10-15');
    expect(names.idOf('smallsteps.pupil-1')).toBe('pupil-1');
  });

  it('does not read streams outside the namespace as ours', () => {
    expect(names.idOf('other.pupil-1')).toBeNull();
    expect(names.idOf('smallstepsx.pupil-1')).toBeNull();
    expect(names.idOf('$all')).toBeNull();
    expect(names.idOf('smallsteps.')).toBeNull();
  });

  it('filters $all on the namespace, or on the namespace and each stream prefix', () => {
    expect(names.prefixesOf()).toEqual(['smallsteps.']);
    expect(names.prefixesOf(['plan-', 'pupil-'])).toEqual(['smallsteps.plan-', 'smallsteps.pupil-']);
    expect(names.prefixesOf([])).toEqual([]);
  });

  it('refuses a namespace that is not a plain name, and an empty stream id', () => {
    for (const bad of ['', '$system', 'has.dot', 'has-dash', '1st', 'x'.repeat(41)])
      expect(() => streamNames(bad)).toThrow(TypeError);
    expect(() => names.nameOf('')).toThrow(TypeError);
  });
});

describe('KurrentDB event ids', () => {
  it('sends a UUID as it is, in lower case', () => {
    expect(kurrentEventId('0000000A-0000-4000-8000-00000000000B', 'smallsteps')).toBe(
      '0000000a-0000-4000-8000-00000000000b',
    );
  });

  it('derives the same version 8 UUID for the same id, and another for another id or namespace', () => {
    const id = kurrentEventId('upload-2026-10-15#3', 'smallsteps');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(kurrentEventId('upload-2026-10-15#3', 'smallsteps')).toBe(id);
    expect(kurrentEventId('upload-2026-10-15#4', 'smallsteps')).not.toBe(id);
    expect(kurrentEventId('upload-2026-10-15#3', 'other')).not.toBe(id);
  });
});
