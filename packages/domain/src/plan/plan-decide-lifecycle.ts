import { accept } from '../decision.ts';
import type * as C from './plan-commands.ts';
import { fact, occurredOn, type PlanDecision, refused } from './plan-decision.ts';
import { timetableInForce } from './plan-ladder.ts';
import type { PlanRecord } from './plan-record.ts';
import { unknownReference } from './plan-rules.ts';

/** `one-open-plan` is not checked here: the store's unique index on the pupil's open plan enforces it. */
export const openPlan = (c: C.OpenPlan): PlanDecision =>
  accept([fact('PlanOpened', { ...c.data, occurredOn: occurredOn(c) })]);

export const pausePlan = (c: C.PausePlan): PlanDecision =>
  accept([fact('PlanPaused', { ...c.data, occurredOn: occurredOn(c) })]);

export const resumePlan = (c: C.ResumePlan): PlanDecision =>
  accept([fact('PlanResumed', { ...c.data, occurredOn: occurredOn(c) })]);

export function recordGoalAchieved(c: C.RecordGoalAchieved, plan: PlanRecord): PlanDecision {
  const goal = plan.goals.find((g) => g.goalId === c.data.goalId);
  if (goal === undefined) return refused(unknownReference('goal', c.data.goalId));
  if (goal.achievedOn !== null) return accept([]);
  return accept([fact('GoalAchieved', { ...c.data, occurredOn: occurredOn(c) })]);
}

/** A part-time timetable still in force ends with the plan: a closed plan has no timetable running. */
export function closePlan(c: C.ClosePlan, plan: PlanRecord): PlanDecision {
  const on = occurredOn(c);
  const ended = timetableInForce(plan)
    ? [fact('PartTimeTimetableEnded', { reason: 'The plan closed.', occurredOn: on })]
    : [];
  return accept([...ended, fact('PlanClosed', { ...c.data, occurredOn: on })]);
}

export const recordFollowUp = (c: C.RecordFollowUp): PlanDecision =>
  accept([fact('FollowUpRecorded', { ...c.data, occurredOn: occurredOn(c) })]);
