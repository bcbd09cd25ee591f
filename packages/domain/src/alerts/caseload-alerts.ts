import { isSeverelyAbsent, rateOf } from '../attendance/attendance-figures.ts';
import { addDays, daysBetween, type IsoDate, type SchoolCalendar } from '../calendar/index.ts';
import {
  countingAttempts,
  currentStepOf,
  hasBeenMastered,
  isOnLadder,
  stepsOf,
  timetableInForce,
  unaddressedBarriersOf,
} from '../plan/plan-ladder.ts';
import type { CaseloadAlertPolicy } from '../plan/plan-policy.ts';
import type { Goal, PlanRecord, Step } from '../plan/plan-record.ts';
import type { Plan } from '../plan/plan-state.ts';

export const CASELOAD_ALERT_KINDS = [
  'review_overdue',
  'no_family_contact',
  'current_step_not_practised',
  'step_stalled',
  'timetable_ending',
  'mastered_step_not_revisited',
  'barrier_blocking',
  'gathering_too_long',
  'attendance_falling',
  'severely_absent',
] as const;
export type CaseloadAlertKind = (typeof CASELOAD_ALERT_KINDS)[number];

/** The alerts that need the pupil's attendance; the others are read from the plan alone. */
export const ATTENDANCE_ALERT_KINDS: readonly CaseloadAlertKind[] = ['attendance_falling', 'severely_absent'];

/**
 * Why a plan needs someone now: in plain words that name no one (step labels and dates only, never
 * a description, a name or free text), and the date the condition began to hold.
 */
export interface CaseloadAlert {
  kind: CaseloadAlertKind;
  reason: string;
  since: IsoDate;
}

/** One week of a pupil's register: Monday's date and its possible and attended sessions. */
export interface WeekOfAttendance {
  weekStart: IsoDate;
  possible: number;
  attended: number;
}

/** What alerts are read from: the plan, its latest family contact, and the pupil's weeks this academic year. */
export interface AlertSubject {
  plan: Plan;
  lastFamilyContactOn: IsoDate | null;
  /** Oldest first, up to today's week; only the attendance alerts read it. */
  attendance?: readonly WeekOfAttendance[];
}

export interface AlertContext {
  policy: CaseloadAlertPolicy;
  /** The calendar of the plan's school: school days skip weekends and the holidays between terms. */
  calendar: SchoolCalendar;
  today: IsoDate;
}

type AlertRule = (subject: AlertSubject, context: AlertContext) => CaseloadAlert | null;

const later = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);
const earliest = (alerts: (CaseloadAlert | null)[]): CaseloadAlert | null =>
  alerts.reduce<CaseloadAlert | null>((a, b) => (b === null || (a !== null && a.since <= b.since) ? a : b), null);

const openStatus = (plan: Plan): plan is Extract<Plan, PlanRecord> =>
  plan.status === 'gathering' || plan.status === 'active' || plan.status === 'paused';
const isActive = (plan: Plan): plan is Extract<Plan, { status: 'active' }> => plan.status === 'active';

/** The current step of each goal not yet achieved. */
const currentSteps = (plan: PlanRecord): { goal: Goal; step: Step }[] =>
  plan.goals.flatMap((goal) => {
    const step = goal.achievedOn === null ? currentStepOf(plan, goal) : undefined;
    return step === undefined ? [] : [{ goal, step }];
  });

/** When the step became current: agreed, or the day the step before it on the ladder was mastered. */
function currentSince(plan: PlanRecord, goal: Goal, step: Step): IsoDate {
  const before = stepsOf(plan, goal).filter((s) => isOnLadder(s) && s.stepId !== step.stepId && hasBeenMastered(s));
  return before.reduce((since, s) => later(since, s.masteredOn[0] ?? since), step.agreedOn);
}

/** `alert-review-overdue`: the next review date has passed with no review held. */
export const reviewOverdue: AlertRule = ({ plan }, { today }) => {
  if (!openStatus(plan) || plan.reviewDueBy === null || today <= plan.reviewDueBy) return null;
  return {
    kind: 'review_overdue',
    reason: `The review due by ${plan.reviewDueBy} has not been held.`,
    since: addDays(plan.reviewDueBy, 1),
  };
};

/** `alert-no-family-contact`: no contact with the family recorded for the policy's days since the plan became active. */
export const noFamilyContact: AlertRule = ({ plan, lastFamilyContactOn }, { policy, today }) => {
  if (plan.status !== 'active' && plan.status !== 'paused') return null;
  const last = lastFamilyContactOn === null ? plan.activatedOn : later(lastFamilyContactOn, plan.activatedOn);
  const days = daysBetween(last, today);
  if (days < policy.noFamilyContactDays) return null;
  const what = lastFamilyContactOn === null ? 'since the plan became active' : `since ${lastFamilyContactOn}`;
  return {
    kind: 'no_family_contact',
    reason: `No contact with the family recorded for ${days} days (${what}).`,
    since: addDays(last, policy.noFamilyContactDays),
  };
};

/**
 * `alert-current-step-not-practised`: a current step nobody has practised for the policy's school
 * days (daily practice works best). A step waiting on a barrier is `alert-barrier-blocking` instead.
 */
export const currentStepNotPractised: AlertRule = ({ plan }, { policy, calendar, today }) => {
  if (!isActive(plan)) return null;
  return earliest(
    currentSteps(plan).map(({ goal, step }) => {
      if (unaddressedBarriersOf(plan, step).length > 0) return null;
      const last = countingAttempts(step).reduce(
        (on, a) => later(on, a.occurredOn),
        later(step.startedOn ?? step.agreedOn, currentSince(plan, goal, step)),
      );
      const idle = calendar.schoolDaysBetween(last, today);
      if (idle < policy.currentStepIdleSchoolDays) return null;
      return {
        kind: 'current_step_not_practised',
        reason: `Step ${step.label} has not been practised for ${idle} school days (last on ${last}).`,
        since: calendar.addSchoolDays(last, policy.currentStepIdleSchoolDays),
      };
    }),
  );
};

/**
 * `alert-step-stalled`: the current step is not mastered after the policy's attempts or school weeks
 * of practice, or the pupil's anxiety after has not fallen over the latest attempts they rated.
 */
export const stepStalled: AlertRule = ({ plan }, { policy, calendar, today }) => {
  if (!isActive(plan)) return null;
  return earliest(
    currentSteps(plan).flatMap(({ step }) => {
      if (step.startedOn === null) return [];
      const attempts = countingAttempts(step).filter((a) => a.occurredOn <= today);
      const found: CaseloadAlert[] = [];
      const nth = attempts[policy.stepStalledAttempts - 1];
      if (nth !== undefined) {
        found.push({
          kind: 'step_stalled',
          reason: `Step ${step.label} is not mastered after ${attempts.length} attempts.`,
          since: nth.occurredOn,
        });
      }
      const weeks = calendar.schoolWeeksBetween(step.startedOn, today);
      if (weeks >= policy.stepStalledWeeks) {
        found.push({
          kind: 'step_stalled',
          reason: `Step ${step.label} is not mastered after ${Math.floor(weeks)} school weeks of practice (since ${step.startedOn}).`,
          since: calendar.addSchoolWeeks(step.startedOn, policy.stepStalledWeeks),
        });
      }
      const latest = attempts.slice(-policy.anxietyNotFallingAttempts);
      const rated = latest.every((a) => a.anxietyAfter !== null);
      const [first, last] = [latest[0], latest.at(-1)];
      if (latest.length === policy.anxietyNotFallingAttempts && rated && first && last) {
        if ((last.anxietyAfter ?? 0) >= (first.anxietyAfter ?? 0)) {
          found.push({
            kind: 'step_stalled',
            reason: `On step ${step.label} anxiety after has not fallen over the last ${latest.length} attempts (${first.anxietyAfter} then ${last.anxietyAfter}).`,
            since: last.occurredOn,
          });
        }
      }
      return found;
    }),
  );
};

/** `alert-timetable-ending`: the part-time timetable in force ends within the policy's days, or is past its end. */
export const timetableEnding: AlertRule = ({ plan }, { policy, today }) => {
  if (!openStatus(plan)) return null;
  const timetable = timetableInForce(plan);
  if (timetable === undefined) return null;
  if (today > timetable.endsOn) {
    return {
      kind: 'timetable_ending',
      reason: `The part-time timetable was agreed to end on ${timetable.endsOn} and has not been ended or extended.`,
      since: addDays(timetable.endsOn, 1),
    };
  }
  const left = daysBetween(today, timetable.endsOn);
  if (left > policy.timetableEndingWithinDays) return null;
  return {
    kind: 'timetable_ending',
    reason: `The part-time timetable ends on ${timetable.endsOn}, in ${left} days: agree what follows.`,
    since: later(addDays(timetable.endsOn, -policy.timetableEndingWithinDays), timetable.agreedOn),
  };
};

/** `alert-mastered-step-not-revisited`: a mastered step nobody has practised for the policy's school days. */
export const masteredStepNotRevisited: AlertRule = ({ plan }, { policy, calendar, today }) => {
  if (!isActive(plan)) return null;
  return earliest(
    plan.goals
      .filter((goal) => goal.achievedOn === null)
      .flatMap((goal) => stepsOf(plan, goal))
      .filter((step) => step.status === 'mastered')
      .map((step) => {
        const last = [...step.attempts].reduce(
          (on, a) => later(on, a.occurredOn),
          step.masteredOn.at(-1) ?? step.agreedOn,
        );
        const idle = calendar.schoolDaysBetween(last, today);
        if (idle < policy.masteredStepIdleSchoolDays) return null;
        return {
          kind: 'mastered_step_not_revisited',
          reason: `Mastered step ${step.label} has not been practised for ${idle} school days (last on ${last}): time to revisit it.`,
          since: calendar.addSchoolDays(last, policy.masteredStepIdleSchoolDays),
        };
      }),
  );
};

/** `alert-barrier-blocking`: the current step has waited on a barrier not yet addressed for the policy's school days. */
export const barrierBlocking: AlertRule = ({ plan }, { policy, calendar, today }) => {
  if (!isActive(plan)) return null;
  return earliest(
    currentSteps(plan).map(({ goal, step }) => {
      const barriers = unaddressedBarriersOf(plan, step);
      if (barriers.length === 0) return null;
      const from = barriers.reduce((on, b) => later(on, b.identifiedOn), currentSince(plan, goal, step));
      const blocked = calendar.schoolDaysBetween(from, today);
      if (blocked < policy.barrierBlockingSchoolDays) return null;
      const kinds = [...new Set(barriers.map((b) => b.kind))].join(', ');
      return {
        kind: 'barrier_blocking',
        reason: `Step ${step.label} has waited ${blocked} school days on ${barriers.length === 1 ? 'a barrier' : `${barriers.length} barriers`} not yet addressed (${kinds}).`,
        since: calendar.addSchoolDays(from, policy.barrierBlockingSchoolDays),
      };
    }),
  );
};

/** `alert-gathering-too-long`: still gathering information the policy's school weeks after opening. */
export const gatheringTooLong: AlertRule = ({ plan }, { policy, calendar, today }) => {
  if (plan.status !== 'gathering') return null;
  const weeks = calendar.schoolWeeksBetween(plan.openedOn, today);
  if (weeks < policy.gatheringWeeks) return null;
  return {
    kind: 'gathering_too_long',
    reason: `The plan has been gathering information for ${Math.floor(weeks)} school weeks without agreed steps (opened ${plan.openedOn}).`,
    since: calendar.addSchoolWeeks(plan.openedOn, policy.gatheringWeeks),
  };
};

/** Weeks with possible sessions, up to today, oldest first. */
const countedWeeks = (subject: AlertSubject, today: IsoDate): WeekOfAttendance[] =>
  (subject.attendance ?? []).filter((w) => w.possible > 0 && w.weekStart <= today);

/** The rate, in tenths of a point, over `weeks` weeks ending at index `end`. */
function rollingTenths(weeks: readonly WeekOfAttendance[], end: number, span: number): number | null {
  if (end - span + 1 < 0) return null;
  const window = weeks.slice(end - span + 1, end + 1);
  const rate = rateOf(
    window.reduce((n, w) => n + w.attended, 0),
    window.reduce((n, w) => n + w.possible, 0),
  );
  return rate === null ? null : Math.round(rate * 10);
}

/**
 * `alert-attendance-falling`: the rate over the latest `attendanceDropWeeks` weeks with sessions is
 * `attendanceDropPoints` or more below the rate over the same number of weeks before them.
 */
export const attendanceFalling: AlertRule = (subject, { policy, today }) => {
  if (!openStatus(subject.plan)) return null;
  const weeks = countedWeeks(subject, today);
  const span = policy.attendanceDropWeeks;
  const dropAt = (end: number): [number, number] | null => {
    const [now, before] = [rollingTenths(weeks, end, span), rollingTenths(weeks, end - span, span)];
    return now !== null && before !== null && before - now >= policy.attendanceDropPoints * 10 ? [before, now] : null;
  };
  const last = weeks.length - 1;
  const drop = dropAt(last);
  if (drop === null) return null;
  let first = last;
  while (first > 0 && dropAt(first - 1) !== null) first--;
  return {
    kind: 'attendance_falling',
    reason: `Attendance over the last ${span} weeks is ${drop[1] / 10}%, down from ${drop[0] / 10}% over the ${span} weeks before.`,
    since: weeks[first]?.weekStart ?? today,
  };
};

/** `alert-severely-absent`: the pupil has missed half or more of this academic year's possible sessions. */
export const severelyAbsent: AlertRule = (subject, { today }) => {
  if (!openStatus(subject.plan)) return null;
  const weeks = countedWeeks(subject, today);
  const totals = weeks.map((_, i) => {
    const upTo = weeks.slice(0, i + 1);
    return { possible: upTo.reduce((n, w) => n + w.possible, 0), attended: upTo.reduce((n, w) => n + w.attended, 0) };
  });
  const last = totals.at(-1);
  if (last === undefined || !isSeverelyAbsent(last)) return null;
  let first = totals.length - 1;
  while (first > 0 && isSeverelyAbsent(totals[first - 1] as (typeof totals)[number])) first--;
  return {
    kind: 'severely_absent',
    reason: `The pupil has attended ${rateOf(last.attended, last.possible)}% of possible sessions this academic year: severely absent (missing half or more).`,
    since: weeks[first]?.weekStart ?? today,
  };
};

export const CASELOAD_ALERT_RULES: Readonly<Record<CaseloadAlertKind, AlertRule>> = {
  review_overdue: reviewOverdue,
  no_family_contact: noFamilyContact,
  current_step_not_practised: currentStepNotPractised,
  step_stalled: stepStalled,
  timetable_ending: timetableEnding,
  mastered_step_not_revisited: masteredStepNotRevisited,
  barrier_blocking: barrierBlocking,
  gathering_too_long: gatheringTooLong,
  attendance_falling: attendanceFalling,
  severely_absent: severelyAbsent,
};

/** Every alert that holds for the plan today, at most one of each kind. */
export function caseloadAlertsOf(
  subject: AlertSubject,
  context: AlertContext,
  kinds: readonly CaseloadAlertKind[] = CASELOAD_ALERT_KINDS,
): CaseloadAlert[] {
  return kinds.flatMap((kind) => CASELOAD_ALERT_RULES[kind](subject, context) ?? []);
}
