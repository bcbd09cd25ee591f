import { addDays, dayNumber, earlierOf, type IsoDate } from '../calendar/index.ts';
import { currentStepOf, isOnLadder, stepsOf, timetableInForce, unaddressedBarriersOf } from './plan-ladder.ts';
import type { PlanPolicy } from './plan-policy.ts';
import type { Attempt, Barrier, Goal, PlanRecord, Step, StepStatus, Timetable } from './plan-record.ts';
import { agreedStepStretched, type PlanAdvisory, stepTooLarge } from './plan-rules-steps.ts';
import type { Plan, PlanStatus } from './plan-state.ts';
import {
  type GroundworkArea,
  groundworkAreas,
  type NamedAdult,
  type SettingKind,
  type StepTerms,
} from './plan-values.ts';

/** One point of a step's habituation curve: anxiety before and after an attempt that counts. */
export interface HabituationPoint {
  occurredOn: IsoDate;
  anxietyBefore: number | null;
  anxietyAfter: number | null;
}

export interface StepView extends StepTerms {
  label: string;
  state: StepStatus;
  isCurrent: boolean;
  /** A mastered step practised again after a holiday, absence or setback. */
  isRevisiting: boolean;
  revisitedOn: IsoDate | null;
  agreedOn: IsoDate;
  startedOn: IsoDate | null;
  masteredOn: IsoDate[];
  splitFrom: string | null;
  splitInto: string[];
  withdrawal: { reason: string; occurredOn: IsoDate } | null;
  /** Barriers it depends on that are not yet addressed: it cannot be started or attempted until they are. */
  blockedBy: string[];
  /** The latest {@link RECENT_ATTEMPTS} attempts, oldest first: a plan read stays the same size however long a step is practised. */
  attempts: Attempt[];
  /** Every attempt recorded on the step, of which `attempts` are the latest. */
  attemptCount: number;
  /** The curve of the attempts in `attempts`. */
  habituation: HabituationPoint[];
}

/** How many of a step's attempts its view carries; the rest are read a page at a time. */
export const RECENT_ATTEMPTS = 20;

export interface GoalView {
  goalId: string;
  pupilWords: string;
  agreedOn: IsoDate;
  achievedOn: IsoDate | null;
  currentStepId: string | null;
  /** Every step in ladder order: a split step stands just before the smaller steps that replaced it. */
  ladder: StepView[];
}

/** The "current plan" read model of docs/domain.md §3. */
export interface PlanView {
  planId: string;
  pupilId: string;
  status: PlanStatus;
  openedOn: IsoDate;
  activatedOn: IsoDate | null;
  presentingConcern: string;
  keyAdult: NamedAdult;
  caseOfficer: NamedAdult | null;
  /** The settings taking part now: their staff can work on the plan. */
  settings: { urn: string; kind: SettingKind; joinedOn: IsoDate }[];
  readiness: {
    hasPupilView: boolean;
    hasParentView: boolean;
    groundwork: Record<GroundworkArea, 'recorded' | 'waived' | 'outstanding'>;
  };
  goals: GoalView[];
  openBarriers: Barrier[];
  excludedSituations: Barrier[];
  provisionsInPlace: { provisionId: string; provision: string; arrangedOn: IsoDate }[];
  advisories: PlanAdvisory[];
  lastReviewOn: IsoDate | null;
  nextReviewDue: IsoDate | null;
  partTimeTimetable: {
    inForce: Timetable | null;
    agreements: Timetable[];
    /** Calendar days covered by part-time timetables, to the agreed end or the day one ended or was replaced. */
    totalDays: number;
  };
  pause: { occurredOn: IsoDate; reason: string } | null;
  closure: { occurredOn: IsoDate; outcome: string; summary: string; followUpOn: IsoDate | null } | null;
  followUps: { occurredOn: IsoDate; summary: string }[];
}

/** The current plan as a caller reads it; `null` before the plan is opened. */
export function planView(plan: Plan, policy: PlanPolicy): PlanView | null {
  if (plan.status === 'none') return null;
  return {
    planId: plan.planId,
    pupilId: plan.pupilId,
    status: plan.status,
    openedOn: plan.openedOn,
    activatedOn: plan.status === 'gathering' ? null : plan.activatedOn,
    presentingConcern: plan.presentingConcern,
    keyAdult: plan.keyAdult,
    caseOfficer: plan.caseOfficer,
    settings: plan.settings
      .filter((s) => s.leftOn === null)
      .map(({ urn, kind, joinedOn }) => ({ urn, kind, joinedOn })),
    readiness: {
      hasPupilView: plan.viewsFrom.includes('pupil'),
      hasParentView: plan.viewsFrom.includes('parent_carer'),
      groundwork: Object.fromEntries(groundworkAreas.map((a) => [a, plan.groundwork[a] ?? 'outstanding'])) as Record<
        GroundworkArea,
        'recorded' | 'waived' | 'outstanding'
      >,
    },
    goals: plan.goals.map((goal) => goalView(plan, goal)),
    openBarriers: plan.barriers.filter((b) => b.status === 'open'),
    excludedSituations: plan.barriers.filter((b) => b.status === 'excluded'),
    provisionsInPlace: plan.provisions
      .filter((p) => p.endedOn === null)
      .map(({ provisionId, provision, arrangedOn }) => ({ provisionId, provision, arrangedOn })),
    advisories: advisoriesOf(plan, policy),
    lastReviewOn: plan.lastReviewOn,
    nextReviewDue: plan.reviewDueBy,
    partTimeTimetable: {
      inForce: timetableInForce(plan) ?? null,
      agreements: plan.timetables,
      totalDays: daysOnReducedTimetables(plan.timetables),
    },
    pause: plan.status === 'paused' ? plan.pause : null,
    closure: plan.status === 'closed' ? plan.closure : null,
    followUps: plan.status === 'closed' ? plan.followUps : [],
  };
}

function goalView(plan: PlanRecord, goal: Goal): GoalView {
  const current = currentStepOf(plan, goal);
  return {
    goalId: goal.goalId,
    pupilWords: goal.pupilWords,
    agreedOn: goal.agreedOn,
    achievedOn: goal.achievedOn,
    currentStepId: current?.stepId ?? null,
    ladder: stepsOf(plan, goal).map((step) => stepView(plan, step, step === current)),
  };
}

/** A step's habituation curve: anxiety before and after each attempt that was made. */
export const habituationOf = (attempts: readonly Attempt[]): HabituationPoint[] =>
  attempts
    .filter((a) => a.outcome !== 'not_attempted')
    .map(({ occurredOn, anxietyBefore, anxietyAfter }) => ({ occurredOn, anxietyBefore, anxietyAfter }));

function stepView(plan: PlanRecord, step: Step, isCurrent: boolean): StepView {
  const { goalId: _goalId, status, round: _round, ...rest } = step;
  const attempts = step.attempts.slice(-RECENT_ATTEMPTS);
  return {
    ...rest,
    attempts,
    attemptCount: step.attempts.length,
    state: status,
    isCurrent,
    isRevisiting: status === 'practising' && step.masteredOn.length > 0,
    blockedBy: isOnLadder(step) ? unaddressedBarriersOf(plan, step).map((b) => b.barrierId) : [],
    habituation: habituationOf(attempts),
  };
}

/** `step-too-large` for every gap still ahead of the pupil, and `agreed-step-stretched` since the last review. */
function advisoriesOf(plan: PlanRecord, policy: PlanPolicy): PlanAdvisory[] {
  const gaps = plan.goals.flatMap((goal) => {
    const ladder = stepsOf(plan, goal).filter(isOnLadder);
    return stepTooLarge(ladder, policy).filter((a) => plan.steps[a.stepId]?.status !== 'mastered');
  });
  const stretched = plan.stretched.flatMap(({ stepId, occurredOn }) => {
    const step = plan.steps[stepId];
    return step === undefined ? [] : [agreedStepStretched(step, occurredOn)];
  });
  return [...gaps, ...stretched];
}

/** Each agreement runs to its end, the day it ended, or the day before the next one started; overlaps count once. */
function daysOnReducedTimetables(timetables: readonly Timetable[]): number {
  const spans = timetables
    .map((t, i) => {
      const next = timetables[i + 1];
      const last = [t.endedOn ?? t.endsOn, next === undefined ? t.endsOn : addDays(next.startsOn, -1)].reduce(
        earlierOf,
        t.endsOn,
      );
      return { first: dayNumber(t.startsOn), last: dayNumber(last) };
    })
    .filter((s) => s.last >= s.first)
    .sort((a, b) => a.first - b.first);
  let total = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const { first, last } of spans) {
    if (last > reached) total += last - Math.max(first, reached + 1) + 1;
    reached = Math.max(reached, last);
  }
  return total;
}
