import { describe, expect, it } from 'vitest';
import { observationPatternKeys } from '../../src/index.ts';

describe('observation patterns', () => {
  it('given an observation at 13:15 on a Tuesday, when counted, then it counts under its tags, Tuesday and the afternoon', () => {
    expect(
      observationPatternKeys({ tags: ['trigger', 'lesson', 'trigger'], time: '13:15', occurredOn: '2026-09-15' }),
    ).toEqual({ tags: ['trigger', 'lesson'], weekday: 'tuesday', partOfDay: 'afternoon' });
  });

  it('given times at the edges of the school day, when counted, then each falls in the part it starts', () => {
    const partAt = (time: string) => observationPatternKeys({ tags: [], time, occurredOn: '2026-09-14' }).partOfDay;
    expect(['07:30', '08:45', '11:59', '12:00', '13:14', '15:30', '18:00'].map(partAt)).toEqual([
      'before_school',
      'morning',
      'morning',
      'lunchtime',
      'lunchtime',
      'after_school',
      'after_school',
    ]);
  });

  it('given no time noted, when counted, then it counts by weekday and tags only', () => {
    expect(observationPatternKeys({ tags: ['somatic'], time: null, occurredOn: '2026-09-20' })).toEqual({
      tags: ['somatic'],
      weekday: 'sunday',
      partOfDay: null,
    });
  });
});
