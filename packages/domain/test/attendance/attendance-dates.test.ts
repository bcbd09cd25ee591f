import { describe, expect, it } from 'vitest';
import { attendanceDayNumber } from '../../src/attendance/index.ts';
import { dayNumber } from '../../src/calendar/index.ts';

describe('attendanceDayNumber', () => {
  it('counts a date as the calendar does', () => {
    expect(attendanceDayNumber('1970-01-01')).toBe(0);
    for (const date of ['1000-01-01', '1969-12-31', '2024-02-29', '2025-09-08', '9999-12-31']) {
      expect(attendanceDayNumber(date)).toBe(dayNumber(date));
    }
  });

  // The calendar starts at year 1000; counting years 0100–0999 keeps a mistyped year what it always was.
  it('also counts years 0100 to 0999, leap days included, where the calendar refuses them', () => {
    expect(() => dayNumber('0999-12-31')).toThrow(RangeError);
    expect(attendanceDayNumber('0999-12-31')).toBe(dayNumber('1000-01-01') - 1);
    expect(attendanceDayNumber('0100-01-01')).toBe(-683_003);
    expect(attendanceDayNumber('0400-03-01') - attendanceDayNumber('0400-02-28')).toBe(2);
    expect(attendanceDayNumber('0500-03-01') - attendanceDayNumber('0500-02-28')).toBe(1);
  });

  it.each(['0099-12-31', '0000-01-01', '0500-02-29', '2025-02-30', '2025-9-8', '2025-09-08T00:00:00Z', ''])(
    'throws a RangeError naming %j, which is not a date it counts',
    (date) => {
      expect(() => attendanceDayNumber(date)).toThrow(new RangeError(`"${date}" is not an ISO date (YYYY-MM-DD)`));
    },
  );
});
