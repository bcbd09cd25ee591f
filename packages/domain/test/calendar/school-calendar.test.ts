import { describe, expect, it } from 'vitest';
import { defaultSchoolCalendar, schoolCalendar } from '../../src/calendar/index.ts';

const autumn = schoolCalendar([
  { start: '2025-09-03', end: '2025-10-24' },
  { start: '2025-11-03', end: '2025-12-19' },
]);

describe('schoolCalendar', () => {
  it('has school days on weekdays in term, not at weekends or in holidays', () => {
    expect(autumn.isSchoolDay('2025-09-08')).toBe(true);
    expect(autumn.isSchoolDay('2025-09-06')).toBe(false);
    expect(autumn.isSchoolDay('2025-10-29')).toBe(false);
  });

  it('counts every weekday outside the term dates it knows', () => {
    expect(autumn.isSchoolDay('2025-09-01')).toBe(true);
    expect(autumn.isSchoolDay('2026-01-05')).toBe(true);
  });

  it('counts school days after the first date up to and including the second', () => {
    expect(autumn.schoolDaysBetween('2025-09-08', '2025-09-12')).toBe(4);
    expect(autumn.schoolDaysBetween('2025-10-24', '2025-11-03')).toBe(1);
    expect(autumn.schoolDaysBetween('2025-09-12', '2025-09-08')).toBe(-4);
    expect(autumn.schoolDaysBetween('2025-09-08', '2025-09-08')).toBe(0);
  });

  it('adds school weeks of five school days, skipping the half term', () => {
    expect(autumn.addSchoolWeeks('2025-09-08', 1)).toBe('2025-09-15');
    expect(autumn.addSchoolWeeks('2025-10-20', 1)).toBe('2025-11-03');
    expect(autumn.addSchoolWeeks('2025-09-26', 6)).toBe('2025-11-14');
    expect(autumn.addSchoolDays('2025-11-03', -1)).toBe('2025-10-24');
    expect(autumn.addSchoolDays('2025-09-06', 1)).toBe('2025-09-08');
  });

  it('measures school weeks between dates, in fractions when part of a week', () => {
    expect(autumn.schoolWeeksBetween('2025-10-20', '2025-11-03')).toBe(1);
    expect(autumn.schoolWeeksBetween('2025-09-08', '2025-09-10')).toBe(0.4);
  });

  it('refuses a term that ends before it starts', () => {
    expect(() => schoolCalendar([{ start: '2025-09-03', end: '2025-09-01' }])).toThrow(RangeError);
  });
});

describe('defaultSchoolCalendar', () => {
  it('is Monday to Friday with no holidays, for a tenant whose term dates are unknown', () => {
    const calendar = defaultSchoolCalendar();
    expect(calendar.isSchoolDay('2025-12-25')).toBe(true);
    expect(calendar.isSchoolDay('2025-12-27')).toBe(false);
    expect(calendar.addSchoolWeeks('2025-09-26', 6)).toBe('2025-11-07');
  });
});
