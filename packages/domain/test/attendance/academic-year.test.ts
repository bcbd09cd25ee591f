import { describe, expect, it } from 'vitest';
import { academicYearOf, academicYearRange } from '../../src/attendance/index.ts';

describe('academicYearOf', () => {
  it.each([
    ['2025-08-01', 2025],
    ['2025-12-31', 2025],
    ['2026-01-01', 2025],
    ['2026-07-31', 2025],
    ['2026-08-01', 2026],
  ])('given %s, when its academic year is asked, then it is %i (named by the year it starts)', (date, year) => {
    expect(academicYearOf(date)).toBe(year);
  });

  it.each(['2025-02-30', '2025-8-1', '2025-08-01T00:00:00Z'])(
    'given the malformed date %s, when asked, then it throws',
    (date) => {
      expect(() => academicYearOf(date)).toThrow(RangeError);
    },
  );
});

describe('academicYearRange', () => {
  it('given 2025, when its range is asked, then it runs from 1 August 2025 to 31 July 2026', () => {
    expect(academicYearRange(2025)).toEqual({ start: '2025-08-01', end: '2026-07-31' });
  });

  it('given a year that is not an integer, when its range is asked, then it throws', () => {
    expect(() => academicYearRange(2025.5)).toThrow(RangeError);
  });
});
