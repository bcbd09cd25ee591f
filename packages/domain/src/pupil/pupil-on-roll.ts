import type { Enrolment } from './pupil-state.ts';

/** `pupil-on-roll`: a school marks only pupils on its roll on that date (docs/domain.md §4). */
export const PUPIL_ON_ROLL_RULE = {
  id: 'pupil-on-roll',
  reason: 'A school marks only pupils on its roll on that date.',
} as const;

/**
 * Whether the enrolments put the pupil on the school's roll on `date`: admitted on or before it, and
 * not left before it (a pupil is on the roll on the day they leave).
 */
export const isOnRollOn = (enrolments: readonly Enrolment[], schoolUrn: string, date: string): boolean =>
  enrolments.some(
    (e) => e.schoolUrn === schoolUrn && e.admissionDate <= date && (e.leavingDate === null || e.leavingDate >= date),
  );
