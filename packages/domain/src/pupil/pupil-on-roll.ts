import type { Enrolment } from './pupil-state.ts';

/** `pupil-on-roll`: a school marks only pupils on its roll on that date (DOMAIN.md §4). */
export const PUPIL_ON_ROLL_RULE = {
  id: 'pupil-on-roll',
  reason: 'A school marks only pupils on its roll on that date.',
} as const;

/**
 * Whether the enrolments put the pupil on the school's roll on `date`. On the roll now means an
 * open enrolment, so every date counts; a leaver counts up to the leaving date.
 */
export const isOnRollOn = (enrolments: readonly Enrolment[], schoolUrn: string, date: string): boolean =>
  enrolments.some((e) => e.schoolUrn === schoolUrn && (e.leavingDate === null || e.leavingDate >= date));
