import { dayNumber, isIsoDate } from '../calendar/index.ts';

const DAY_MS = 86_400_000;
/** Years 0100–0999, which the calendar refuses but these rules have always counted. */
const EARLY_YEAR = /^0[1-9]\d\d-/;
/** Five 400-year Gregorian cycles: 2000 years on, the same dates exist and fall the same number of days apart. */
const TWO_THOUSAND_YEARS_IN_DAYS = 5 * 146_097;

/**
 * Days since 1970-01-01 for an ISO date (YYYY-MM-DD), counted by the calendar. Throws a RangeError
 * on anything else: the contracts check formats, so a malformed date here is a programmer error.
 * Unlike the calendar's `dayNumber` it also counts years 0100–0999, as the attendance rules and the
 * progress picture always have: the contracts let a mistyped year such as 0205 through, and the
 * picture leaves an attempt on such a date out of the school year instead of failing to draw.
 */
export const attendanceDayNumber = (date: string): number => {
  const isEarly = EARLY_YEAR.test(date);
  const counted = isEarly ? `${Number(date.slice(0, 4)) + 2000}${date.slice(4)}` : date;
  if (!isIsoDate(counted)) throw new RangeError(`"${date}" is not an ISO date (YYYY-MM-DD)`);
  return dayNumber(counted) - (isEarly ? TWO_THOUSAND_YEARS_IN_DAYS : 0);
};

export const isoDateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The Monday that starts the ISO week containing `date`. */
export const weekStartOf = (date: string): string => {
  const day = attendanceDayNumber(date);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting Monday as 0.
  const weekday = (((day + 3) % 7) + 7) % 7;
  return isoDateOf(day - weekday);
};

/** Milliseconds since the epoch for an ISO 8601 instant with offset; throws on anything else. */
export const instantMs = (instant: string): number => {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms) || !/T.*(Z|[+-]\d{2}:\d{2})$/.test(instant)) {
    throw new RangeError(`"${instant}" is not an ISO 8601 instant with offset`);
  }
  return ms;
};

const LONDON = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in England at an instant: schools keep registers on local dates, not UTC ones. */
export const londonDateOf = (instant: string): string => {
  const parts = Object.fromEntries(LONDON.formatToParts(instantMs(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
};
