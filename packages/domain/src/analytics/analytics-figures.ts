import { isPersistentlyAbsent, isSeverelyAbsent, rateOf } from '../attendance/attendance-figures.ts';
import type { PeriodAttendance, WeeklyAttendance } from '../attendance/attendance-trend.ts';
import { addDays, daysBetween, type IsoDate, isoWeekday } from '../calendar/index.ts';

/** One week of a pupil's register at one school, and the year to date as it stood at that week's end. */
export interface WeekToDate extends PeriodAttendance {
  weekStart: IsoDate;
  yearToDate: PeriodAttendance;
  /** Year to date (§4): 10 % or more of possible sessions missed. */
  persistentAbsence: boolean;
  /** Year to date (§4): 50 % or more missed. */
  severeAbsence: boolean;
}

/**
 * The weeks of one academic year's trend (`attendanceTrend`), each with the year to date at its
 * end: how analytics count persistent and severe absence week by week, with the same figures and
 * thresholds as a pupil's own trend. `before` is the year to date before the first of the weeks.
 */
export function weeksToDate(
  weeks: readonly Pick<WeeklyAttendance, 'weekStart' | 'possible' | 'attended'>[],
  before: Pick<PeriodAttendance, 'possible' | 'attended'> = { possible: 0, attended: 0 },
): WeekToDate[] {
  let { possible, attended } = before;
  return weeks.map((week) => {
    possible += week.possible;
    attended += week.attended;
    const yearToDate = { possible, attended, rate: rateOf(attended, possible) };
    return {
      weekStart: week.weekStart,
      possible: week.possible,
      attended: week.attended,
      rate: rateOf(week.attended, week.possible),
      yearToDate,
      persistentAbsence: isPersistentlyAbsent(yearToDate),
      severeAbsence: isSeverelyAbsent(yearToDate),
    };
  });
}

/** Whole and part weeks from one date to another, to 1 decimal place (3 days is 0.4 weeks). */
export const weeksFrom = (from: IsoDate, to: IsoDate): number => Math.round((daysBetween(from, to) * 10) / 7) / 10;

/** The middle value (the mean of the two middle ones for an even count), to 1 decimal place; null for none. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(median * 10) / 10;
}

/** How far attendance must rise, and how soon after a plan opens, for the plan to count as lifting it. */
export interface AttendanceRisePolicy {
  points: number;
  weeks: number;
}
export const ATTENDANCE_RISE: AttendanceRisePolicy = { points: 10, weeks: 12 };

export type AttendanceRise = 'rose' | 'did_not_rise' | 'not_known';

/**
 * Whether a plan's pupil's attendance rose by `points` within `weeks` of the plan opening: the rate
 * over the last 4 weeks with sessions before the opening week is the baseline, and some rolling
 * 4-week rate (the trend's own window, §4) of a week starting within `weeks` of the opening week
 * reached the baseline plus `points`; those rolling windows hold only weeks from the opening on. Not known without a baseline, or while the window has not yet
 * passed in the register (no week recorded at or after its end) and the rise has not yet come.
 */
export function attendanceRiseAfterOpening(
  weeks: readonly Pick<WeeklyAttendance, 'weekStart' | 'possible' | 'attended'>[],
  openedOn: IsoDate,
  policy: AttendanceRisePolicy = ATTENDANCE_RISE,
): AttendanceRise {
  const withSessions = [...weeks].filter((w) => w.possible > 0).sort((a, b) => a.weekStart.localeCompare(b.weekStart));
  const openingWeek = addDays(openedOn, 1 - isoWeekday(openedOn));
  const windowEnd = addDays(openingWeek, 7 * policy.weeks);
  const before = withSessions.filter((w) => w.weekStart < openingWeek).slice(-4);
  const baseline = rateOf(sum(before, 'attended'), sum(before, 'possible'));
  if (baseline === null) return 'not_known';
  const after = withSessions.filter((w) => w.weekStart >= openingWeek && w.weekStart < windowEnd);
  for (let i = 0; i < after.length; i++) {
    const last4 = after.slice(Math.max(0, i - 3), i + 1);
    const rolling = rateOf(sum(last4, 'attended'), sum(last4, 'possible'))!;
    // Tenths compared as whole numbers, so 62.3 + 10 is never a floating-point near miss.
    if (Math.round(rolling * 10) >= Math.round(baseline * 10) + policy.points * 10) return 'rose';
  }
  return weeks.some((w) => w.weekStart >= windowEnd) ? 'did_not_rise' : 'not_known';
}

const sum = (weeks: readonly Pick<PeriodAttendance, 'possible' | 'attended'>[], field: 'possible' | 'attended') =>
  weeks.reduce((total, week) => total + week[field], 0);
