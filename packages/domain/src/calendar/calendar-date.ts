/** A calendar date, `YYYY-MM-DD`, with no time and no zone. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether `value` is a real calendar date written `YYYY-MM-DD` (so `2025-02-29` is not). Checked by
 * arithmetic, not by formatting a `Date` and comparing: every date in every request and fold passes
 * here, and the formatting was most of its cost.
 */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days in a month of the Gregorian calendar (months from 1), as `Date` counts them. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01. Throws a RangeError for a string that is not a date: dates are
 * validated at the edge, so reaching here with one is a programmer error.
 */
export function dayNumber(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/** The date `days` days after 1970-01-01. */
export const fromDayNumber = (days: number): IsoDate => toIsoDate(days * MS_PER_DAY);

export const addDays = (date: IsoDate, days: number): IsoDate => fromDayNumber(dayNumber(date) + days);

/** Calendar days from `from` to `to`: negative when `to` is earlier. */
export const daysBetween = (from: IsoDate, to: IsoDate): number => dayNumber(to) - dayNumber(from);

/** ISO weekday of a day number: Monday 1 … Sunday 7. */
export const isoWeekdayOf = (days: number): number => ((((days + 3) % 7) + 7) % 7) + 1;

export const isoWeekday = (date: IsoDate): number => isoWeekdayOf(dayNumber(date));

/** The earlier of two dates (ISO dates compare as strings). */
export const earlierOf = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);

/**
 * The date in England at an ISO 8601 instant: UTC in winter, UTC+1 from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October. A command's `now` just after
 * midnight in summer belongs to the English day, not the UTC one.
 */
export function dateInEngland(instant: string): IsoDate {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO 8601 instant: ${JSON.stringify(instant)}`);
  const year = new Date(ms).getUTCFullYear();
  const summerStarts = lastSundayAt1amUtc(year, 2);
  const summerEnds = lastSundayAt1amUtc(year, 9);
  const isSummerTime = ms >= summerStarts && ms < summerEnds;
  return toIsoDate(ms + (isSummerTime ? 3_600_000 : 0));
}

/**
 * Whether a fact was backdated: the date it happened is before the date in England when it was
 * recorded (`recordedAt`, an ISO 8601 instant). A fact recorded the day it happened is not.
 */
export const isBackdated = (occurredOn: IsoDate, recordedAt: string): boolean => occurredOn < dateInEngland(recordedAt);

function lastSundayAt1amUtc(year: number, monthIndex: number): number {
  const lastDay = Date.UTC(year, monthIndex + 1, 0);
  const weekday = new Date(lastDay).getUTCDay();
  return lastDay - weekday * MS_PER_DAY + 3_600_000;
}

function toIsoDate(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}
