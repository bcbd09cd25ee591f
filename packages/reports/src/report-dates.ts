import { dayNumber } from '@small-steps/domain';

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export { dayNumber };

/** The Monday on or before a day number (1970-01-01 was a Thursday). */
export const mondayOf = (day: number): number => day - ((((day + 3) % 7) + 7) % 7);

const partsOf = (day: number) => {
  const date = new Date(day * DAY_MS);
  return { day: date.getUTCDate(), month: date.getUTCMonth(), year: date.getUTCFullYear() };
};

/** "8 Sep" */
export const shortDate = (day: number): string => {
  const parts = partsOf(day);
  return `${parts.day} ${MONTHS[parts.month]}`;
};

/** "8 September 2025" */
export const longDate = (day: number): string => {
  const parts = partsOf(day);
  return `${parts.day} ${LONG_MONTHS[parts.month]} ${parts.year}`;
};
