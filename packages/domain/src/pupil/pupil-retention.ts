import type { IsoDate } from '../calendar/index.ts';
import type { RetentionClass } from './pupil-values.ts';

/**
 * How long each retention class is kept (docs/domain.md §7; both periods are *policy*): register
 * data 6 years after the last register entry, SEN and plan records until the date of birth plus
 * 31 years. A period ends on the anniversary; the data may be erased from that day.
 */
export const RETENTION_RULES = {
  'register-kept-six-years': {
    retentionClass: 'register',
    years: 6,
    from: 'the last register entry',
    reason: 'Register data is kept for 6 years after the last register entry about the pupil.',
  },
  'records-kept-to-birth-plus-31': {
    retentionClass: 'records',
    years: 31,
    from: 'the date of birth',
    reason: "SEN and plan records are kept until the pupil's date of birth plus 31 years.",
  },
} as const satisfies Record<string, { retentionClass: RetentionClass; years: number; from: string; reason: string }>;

export type RetentionRuleId = keyof typeof RETENTION_RULES;

/** What retention is decided from; dates are ISO, and null when there is none (or it is erased). */
export interface RetentionFacts {
  dateOfBirth: IsoDate | null;
  /** The later of the last session marked and the day the last mark was recorded. */
  lastRegisterEntry: IsoDate | null;
  /** Classes already erased: their period cannot end twice. */
  erased: readonly RetentionClass[];
}

/** A retention period that has ended: the class to erase, the rule, the day it ended, and why. */
export interface RetentionEnded {
  retentionClass: RetentionClass;
  rule: RetentionRuleId;
  endedOn: IsoDate;
  reason: string;
}

/**
 * `date` plus whole years. 29 February moves to 1 March in a common year: never earlier, so data
 * is kept at least the full period.
 */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const moved = new Date(Date.UTC(year + years, month - 1, day));
  return moved.toISOString().slice(0, 10);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The retention periods of a pupil's data that have ended by `today`, not yet erased. */
export function retentionEnded(facts: RetentionFacts, today: IsoDate): RetentionEnded[] {
  const startOf = (id: RetentionRuleId): IsoDate | null =>
    id === 'register-kept-six-years' ? facts.lastRegisterEntry : facts.dateOfBirth;
  const ended: RetentionEnded[] = [];
  for (const id of Object.keys(RETENTION_RULES) as RetentionRuleId[]) {
    const rule = RETENTION_RULES[id];
    const start = startOf(id);
    // An erased date of birth reads `[erased]`: nothing to count from, and nothing left to erase.
    if (start === null || !ISO_DATE.test(start) || facts.erased.includes(rule.retentionClass)) continue;
    const endedOn = addYears(start, rule.years);
    if (endedOn <= today) {
      ended.push({
        retentionClass: rule.retentionClass,
        rule: id,
        endedOn,
        reason: `Retention period ended on ${endedOn}: ${rule.years} years after ${rule.from} (${start}).`,
      });
    }
  }
  return ended;
}
