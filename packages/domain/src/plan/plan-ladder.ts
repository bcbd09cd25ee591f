import type { IsoDate } from '../calendar/index.ts';
import type { Attempt, Barrier, Goal, PlanRecord, Step, Timetable } from './plan-record.ts';

/** A step still on the ladder: not split (its smaller steps replaced it) and not withdrawn. */
export const isOnLadder = (step: Step): boolean => step.status !== 'split' && step.status !== 'withdrawn';

export const hasBeenMastered = (step: Step): boolean => step.masteredOn.length > 0;

/** A goal's steps in ladder order, split and withdrawn ones included. */
export const stepsOf = (plan: PlanRecord, goal: Goal): Step[] => goal.ladder.flatMap((id) => plan.steps[id] ?? []);

/** The steps either side of a step among those still on its ladder. */
export function neighboursOf(plan: PlanRecord, goal: Goal, step: Step): { before?: Step; after?: Step } {
  const ladder = stepsOf(plan, goal).filter((s) => isOnLadder(s) || s.stepId === step.stepId);
  const at = ladder.findIndex((s) => s.stepId === step.stepId);
  return { before: ladder[at - 1], after: ladder[at + 1] };
}

/** The number the next step agreed for a goal takes: steps made by a split are numbered under the split step. */
export const nextStepNumber = (plan: PlanRecord, goal: Goal): number =>
  goal.ladder.filter((id) => plan.steps[id]?.splitFrom === null).length + 1;

export const goalOf = (plan: PlanRecord, step: Step): Goal | undefined =>
  plan.goals.find((g) => g.goalId === step.goalId);

/**
 * The current step: the first of the ladder that is not mastered, split or withdrawn. A revisited
 * step was mastered once, so it never becomes current again.
 */
export const currentStepOf = (plan: PlanRecord, goal: Goal): Step | undefined =>
  stepsOf(plan, goal).find((s) => isOnLadder(s) && !hasBeenMastered(s));

/** Attempts of the step's current practice round that count: `not_attempted` never does. */
export const countingAttempts = (step: Step): Attempt[] =>
  step.attempts.filter((a) => a.round === step.round && a.outcome !== 'not_attempted');

/** Whether a barrier's situation is excluded on a date: permanently, or until its review date. */
export const isExcludedOn = (barrier: Barrier, on: IsoDate): boolean =>
  barrier.status === 'excluded' && (barrier.exclusion?.reviewOn == null || on < barrier.exclusion.reviewOn);

/** The barriers a step depends on that are not yet addressed. */
export const unaddressedBarriersOf = (plan: PlanRecord, step: Step): Barrier[] =>
  plan.barriers.filter((b) => step.dependsOn.includes(b.barrierId) && b.status !== 'addressed');

/** The part-time timetable agreed and not ended: the latest agreement, since an extension replaces it. */
export const timetableInForce = (plan: PlanRecord): Timetable | undefined => {
  const latest = plan.timetables.at(-1);
  return latest?.endedOn === null ? latest : undefined;
};

/** Whether a part-time timetable runs on a date: in force and not past its agreed end (one starting later counts). */
export const isTimetableRunningOn = (plan: PlanRecord, on: IsoDate): boolean => {
  const timetable = timetableInForce(plan);
  return timetable !== undefined && on <= timetable.endsOn;
};
