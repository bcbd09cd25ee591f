import { dayNumber } from '../calendar/index.ts';

const DAY_MS = 86_400_000;

export const isoDateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The Monday that starts the ISO week containing `date`. */
export const weekStartOf = (date: string): string => {
  const day = dayNumber(date);
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
