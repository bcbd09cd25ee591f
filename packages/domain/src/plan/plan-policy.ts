/** Thresholds for the caseload alerts of docs/domain.md §3, for the projections. */
export interface CaseloadAlertPolicy {
  noFamilyContactDays: number;
  currentStepIdleSchoolDays: number;
  stepStalledAttempts: number;
  stepStalledWeeks: number;
  anxietyNotFallingAttempts: number;
  timetableEndingWithinDays: number;
  masteredStepIdleSchoolDays: number;
  barrierBlockingSchoolDays: number;
  gatheringWeeks: number;
  attendanceDropPoints: number;
  attendanceDropWeeks: number;
}

/** The numbers docs/domain.md marks *policy*: defaults that a tenant (an LA) may change. */
export interface PlanPolicy {
  /** `step-too-large`: neighbouring steps may differ by at most this much predicted anxiety. */
  stepTooLargeGap: number;
  /** `mastery-needs-comfort`: how many of the latest attempts must be completed. */
  masteryAttempts: number;
  /** `mastery-needs-comfort`: the highest anxiety after those attempts, where the pupil rated it. */
  masteryMaxAnxietyAfter: number;
  /** `next-review-due`: the longest gap between reviews, in school weeks. */
  maxReviewIntervalSchoolWeeks: number;
  /** `next-review-due`: the longest gap while a part-time timetable runs, in calendar weeks. */
  maxReviewIntervalWeeksDuringPtt: number;
  /** `ptt-time-limited`: the longest one agreement may run, in calendar weeks from its start. */
  pttMaxWeeks: number;
  caseloadAlerts: CaseloadAlertPolicy;
}

export const defaultPlanPolicy: PlanPolicy = {
  stepTooLargeGap: 2,
  masteryAttempts: 2,
  masteryMaxAnxietyAfter: 3,
  maxReviewIntervalSchoolWeeks: 6,
  maxReviewIntervalWeeksDuringPtt: 2,
  pttMaxWeeks: 8,
  caseloadAlerts: {
    noFamilyContactDays: 14,
    currentStepIdleSchoolDays: 5,
    stepStalledAttempts: 6,
    stepStalledWeeks: 4,
    anxietyNotFallingAttempts: 4,
    timetableEndingWithinDays: 7,
    masteredStepIdleSchoolDays: 15,
    barrierBlockingSchoolDays: 10,
    gatheringWeeks: 4,
    attendanceDropPoints: 10,
    attendanceDropWeeks: 4,
  },
};

/** A tenant's overrides: any subset of the values, alerts included. */
export type PlanPolicyOverrides = Partial<Omit<PlanPolicy, 'caseloadAlerts'>> & {
  caseloadAlerts?: Partial<CaseloadAlertPolicy>;
};

/** The defaults with a tenant's overrides laid over them. */
export function planPolicy(overrides: PlanPolicyOverrides = {}): PlanPolicy {
  const { caseloadAlerts = {}, ...values } = overrides;
  return {
    ...defaultPlanPolicy,
    ...definedOnly(values),
    caseloadAlerts: { ...defaultPlanPolicy.caseloadAlerts, ...definedOnly(caseloadAlerts) },
  };
}

/** Drops keys set to `undefined`, so that they cannot blank out a default. */
const definedOnly = <T extends object>(values: T): Partial<T> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
