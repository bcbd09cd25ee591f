import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateInEngland,
  dayNumber,
  daysBetween,
  isBackdated,
  isIsoDate,
  isoWeekday,
} from '../../src/calendar/index.ts';

describe('calendar dates', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    expect(['2025-09-08', '2024-02-29'].map(isIsoDate)).toEqual([true, true]);
    expect(['2025-02-29', '2025-13-01', '2025-9-8', '08/09/2025', ''].map(isIsoDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('agrees with the calendar of Date on every day of four centuries, and on days that do not exist', () => {
    const viaDate = (text: string) => {
      const [year, month, day] = text.split('-').map(Number) as [number, number, number];
      return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) === text;
    };
    for (let year = 1899; year <= 2301; year++) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(isIsoDate(text), text).toBe(viaDate(text));
        }
      }
    }
    expect(['0999-12-31', '1000-01-01', '9999-12-31'].map(isIsoDate)).toEqual([false, true, true]);
  });

  it('does day arithmetic across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2025-09-15', '2025-11-10')).toBe(56);
    expect(dayNumber('1970-01-02')).toBe(1);
  });

  it('numbers weekdays from Monday', () => {
    expect(isoWeekday('2025-09-08')).toBe(1);
    expect(isoWeekday('2025-09-14')).toBe(7);
  });

  it('throws for a string that is not a date: a programmer error', () => {
    expect(() => dayNumber('2025-02-30')).toThrow(RangeError);
  });
});

describe('dateInEngland', () => {
  it('gives the English date of an instant, in summer time and in winter', () => {
    expect(dateInEngland('2025-09-07T23:30:00Z')).toBe('2025-09-08');
    expect(dateInEngland('2025-12-07T23:30:00Z')).toBe('2025-12-07');
  });

  it('changes at 01:00 UTC on the last Sundays of March and October', () => {
    expect(dateInEngland('2025-03-30T00:59:59Z')).toBe('2025-03-30');
    expect(dateInEngland('2025-03-29T23:30:00Z')).toBe('2025-03-29');
    expect(dateInEngland('2025-03-30T23:30:00Z')).toBe('2025-03-31');
    expect(dateInEngland('2025-10-25T23:30:00Z')).toBe('2025-10-26');
    expect(dateInEngland('2025-10-26T23:30:00Z')).toBe('2025-10-26');
  });

  it('reads instants with an offset', () => {
    expect(dateInEngland('2025-09-08T00:30:00+01:00')).toBe('2025-09-08');
  });
});

describe('isBackdated', () => {
  it('is true for a fact dated before the day it was recorded, false for one recorded that day', () => {
    expect(isBackdated('2025-09-12', '2025-09-15T10:00:00Z')).toBe(true);
    expect(isBackdated('2025-09-15', '2025-09-15T10:00:00Z')).toBe(false);
  });

  it('takes the day of recording in England', () => {
    // 23:30 UTC on 7 September is 00:30 on 8 September in summer time: the 7th was yesterday.
    expect(isBackdated('2025-09-07', '2025-09-07T23:30:00Z')).toBe(true);
    // In winter 23:30 UTC is 23:30 in England: still the same day.
    expect(isBackdated('2025-12-07', '2025-12-07T23:30:00Z')).toBe(false);
  });
});
