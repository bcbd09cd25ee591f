import { describe, expect, it } from 'vitest';
import { attendanceRiseAfterOpening, medianOf, weeksFrom, weeksToDate } from '../../src/analytics/index.ts';

/** Consecutive weeks from a Monday, each of 10 possible sessions with the given sessions attended. */
const weeksFromMonday = (monday: string, attended: number[]) =>
  attended.map((a, i) => {
    const date = new Date(`${monday}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + 7 * i);
    return { weekStart: date.toISOString().slice(0, 10), possible: 10, attended: a };
  });

describe('analytics figures (docs/domain.md §3)', () => {
  it('given weeks of a year, when counted to date, then persistent and severe absence follow the year to date', () => {
    const weeks = weeksToDate(weeksFromMonday('2026-09-07', [10, 9, 4, 10]));
    expect(
      weeks.map((w) => [w.yearToDate.possible, w.yearToDate.attended, w.persistentAbsence, w.severeAbsence]),
    ).toEqual([
      [10, 10, false, false],
      [20, 19, false, false],
      [30, 23, true, false],
      [40, 33, true, false],
    ]);
    expect(weeksToDate(weeksFromMonday('2026-09-07', [5]))[0]).toMatchObject({ rate: 50, severeAbsence: true });
    // Carried on from earlier weeks: 30 of 40 before, then a full week, is 40 of 50 (20 % missed).
    expect(weeksToDate(weeksFromMonday('2026-10-05', [10]), { possible: 40, attended: 30 })[0]).toMatchObject({
      yearToDate: { possible: 50, attended: 40, rate: 80 },
      persistentAbsence: true,
      severeAbsence: false,
    });
  });

  it('given dates, when weeks are counted, then part weeks show to 1 decimal place', () => {
    expect(weeksFrom('2026-09-07', '2026-09-21')).toBe(2);
    expect(weeksFrom('2026-09-07', '2026-09-10')).toBe(0.4);
  });

  it('given values, when the median is taken, then odd counts give the middle and even the mean of the two', () => {
    expect(medianOf([5, 1, 3])).toBe(3);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([])).toBeNull();
  });

  describe('attendance rise within 12 weeks of opening', () => {
    // Four weeks at 50 % before the plan opens on Wednesday 7 October 2026.
    const before = weeksFromMonday('2026-09-07', [5, 5, 5, 5]);
    it('given a rolling 4-week rate 10 points over the baseline within 12 weeks, then it rose', () => {
      expect(attendanceRiseAfterOpening([...before, ...weeksFromMonday('2026-10-05', [6, 6])], '2026-10-07')).toBe(
        'rose',
      );
    });
    it('given a rise of under 10 points only, and weeks recorded past the window, then it did not rise', () => {
      const after = weeksFromMonday('2026-10-05', [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 10]);
      expect(attendanceRiseAfterOpening([...before, ...after], '2026-10-07')).toBe('did_not_rise');
    });
    it('given the rise comes only after 12 weeks, then it did not rise within them', () => {
      const after = [...weeksFromMonday('2026-10-05', Array(12).fill(5)), ...weeksFromMonday('2026-12-28', [10, 10])];
      expect(attendanceRiseAfterOpening([...before, ...after], '2026-10-07')).toBe('did_not_rise');
    });
    it('given no sessions before the plan, or a window still running, then it is not known', () => {
      expect(attendanceRiseAfterOpening(weeksFromMonday('2026-10-05', [10, 10]), '2026-10-07')).toBe('not_known');
      expect(attendanceRiseAfterOpening([...before, ...weeksFromMonday('2026-10-05', [5])], '2026-10-07')).toBe(
        'not_known',
      );
    });
  });
});
