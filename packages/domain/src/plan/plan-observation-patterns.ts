import { type IsoDate, isoWeekday } from '../calendar/index.ts';
import type { ObservationTag } from './plan-values.ts';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The parts of a school day an observation's time falls in, so a review can see when things happen
 * (seed 004: "keep a log and analyse pattern or trends"). Times are `HH:MM` in England.
 */
export const SCHOOL_DAY_PARTS = [
  ['before_school', '00:00'],
  ['morning', '08:45'],
  ['lunchtime', '12:00'],
  ['afternoon', '13:15'],
  ['after_school', '15:30'],
] as const;
export type SchoolDayPart = (typeof SCHOOL_DAY_PARTS)[number][0];

/** Where one logged observation counts in its plan's patterns: each tag, its weekday, its part of the day. */
export interface ObservationPatternKeys {
  tags: ObservationTag[];
  weekday: Weekday;
  /** Null when the time was not noted. */
  partOfDay: SchoolDayPart | null;
}

export function observationPatternKeys(observation: {
  tags: readonly ObservationTag[];
  time: string | null;
  occurredOn: IsoDate;
}): ObservationPatternKeys {
  const partOfDay =
    observation.time === null
      ? null
      : ([...SCHOOL_DAY_PARTS].reverse().find(([, from]) => observation.time! >= from)?.[0] ?? null);
  return {
    tags: [...new Set(observation.tags)],
    weekday: WEEKDAYS[isoWeekday(observation.occurredOn) - 1]!,
    partOfDay,
  };
}
