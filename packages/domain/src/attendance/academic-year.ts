import { dayNumber } from '../calendar/index.ts';

/**
 * The academic year a date falls in, named by the calendar year it starts in: 1 August 2025 to
 * 31 July 2026 is `2025` (docs/domain.md §4).
 */
export const academicYearOf = (date: string): number => {
  dayNumber(date);
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8 ? year : year - 1;
};

/** First and last day of an academic year, both inclusive, as ISO dates. */
export const academicYearRange = (year: number): { start: string; end: string } => {
  if (!Number.isInteger(year) || year < 1000 || year > 9998) throw new RangeError(`${year} is not an academic year`);
  return { start: `${year}-08-01`, end: `${year + 1}-07-31` };
};
