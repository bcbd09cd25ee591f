import { dayNumber, fromDayNumber, type IsoDate, isoWeekdayOf } from './calendar-date.ts';

/** One term (or half term): the first and last school day, inclusive. Weekends inside are skipped. */
export interface TermDates {
  start: IsoDate;
  end: IsoDate;
}

/**
 * The school days of one setting. Every count skips weekends and the holidays between terms.
 * A school week is five school days, so a half-term holiday does not use up a "6 school weeks" limit.
 */
export interface SchoolCalendar {
  isSchoolDay(date: IsoDate): boolean;
  /** School days after `from`, up to and including `to`; negative when `to` is before `from`. */
  schoolDaysBetween(from: IsoDate, to: IsoDate): number;
  /** The date `n` school days after `date` (before it when `n` is negative); `date` itself when `n` is 0. */
  addSchoolDays(date: IsoDate, n: number): IsoDate;
  /** The date five times `n` school days after `date`. */
  addSchoolWeeks(date: IsoDate, n: number): IsoDate;
  /** `schoolDaysBetween` in school weeks of five days; may be fractional. */
  schoolWeeksBetween(from: IsoDate, to: IsoDate): number;
}

export const SCHOOL_DAYS_PER_WEEK = 5;

/**
 * A calendar from a setting's term dates (bank holidays inside a term split it into two ranges).
 * Before the first term and after the last one the dates are unknown, so every weekday counts there,
 * as in `defaultSchoolCalendar`: counts never stall for lack of term dates.
 * Throws a RangeError for a term that ends before it starts (a configuration error).
 */
export function schoolCalendar(terms: readonly TermDates[]): SchoolCalendar {
  const ranges = terms.map((term) => {
    const range = { first: dayNumber(term.start), last: dayNumber(term.end) };
    if (range.last < range.first) throw new RangeError(`Term ends before it starts: ${term.start} to ${term.end}`);
    return range;
  });
  const known =
    ranges.length > 0
      ? { first: Math.min(...ranges.map((r) => r.first)), last: Math.max(...ranges.map((r) => r.last)) }
      : null;

  const isSchoolDayNumber = (day: number): boolean => {
    if (isoWeekdayOf(day) > 5) return false;
    if (known === null || day < known.first || day > known.last) return true;
    return ranges.some((range) => day >= range.first && day <= range.last);
  };

  const schoolDaysBetween = (from: IsoDate, to: IsoDate): number => {
    const [start, end] = [dayNumber(from), dayNumber(to)];
    const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
    let count = 0;
    for (let day = low + 1; day <= high; day++) if (isSchoolDayNumber(day)) count++;
    return sign * count;
  };

  const addSchoolDays = (date: IsoDate, n: number): IsoDate => {
    const step = n < 0 ? -1 : 1;
    let day = dayNumber(date);
    for (let left = Math.abs(Math.trunc(n)); left > 0; ) {
      day += step;
      if (isSchoolDayNumber(day)) left--;
    }
    return fromDayNumber(day);
  };

  return {
    isSchoolDay: (date) => isSchoolDayNumber(dayNumber(date)),
    schoolDaysBetween,
    addSchoolDays,
    addSchoolWeeks: (date, n) => addSchoolDays(date, n * SCHOOL_DAYS_PER_WEEK),
    schoolWeeksBetween: (from, to) => schoolDaysBetween(from, to) / SCHOOL_DAYS_PER_WEEK,
  };
}

/**
 * The calendar for a tenant or school whose term dates are unknown: Monday to Friday, no holidays.
 * It overstates school days across holidays, so limits such as "6 school weeks" come out shorter.
 */
export const defaultSchoolCalendar = (): SchoolCalendar => schoolCalendar([]);
