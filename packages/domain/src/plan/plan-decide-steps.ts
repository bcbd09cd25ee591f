import { accept } from '../decision.ts';
import type * as C from './plan-commands.ts';
import type { PlanContext } from './plan-context.ts';
import { fact, occurredOn, offLadder, type PlanDecision, refused } from './plan-decision.ts';
import { hasBeenMastered } from './plan-ladder.ts';
import type { PlanRecord } from './plan-record.ts';
import { stepStatus, unknownReference } from './plan-rules.ts';
import {
  agreedStepStretched,
  agreedStepUnchanged,
  hasStarted,
  isCurrentStep,
  masteryNeedsComfort,
  needsMet,
} from './plan-rules-steps.ts';

/** Starting a step already started, or mastered, changes nothing: mastered steps are practised by attempts. */
export function startStep(c: C.StartStep, plan: PlanRecord): PlanDecision {
  const step = plan.steps[c.data.stepId];
  if (step === undefined) return refused(unknownReference('step', c.data.stepId));
  const refusal = offLadder(step);
  if (refusal) return refused(refusal);
  if (step.status !== 'agreed') return accept([]);
  const notYet = isCurrentStep(plan, step) ?? needsMet(plan, step, 'started');
  return notYet ? refused(notYet) : accept([fact('StepStarted', { ...c.data, occurredOn: occurredOn(c) })]);
}

/**
 * Recorded as it happened. `extendedBy` is kept only when the attempt ran past the agreed minutes;
 * an adult's extension answers with the `agreed-step-stretched` advisory.
 */
export function recordAttempt(c: C.RecordAttempt, plan: PlanRecord): PlanDecision {
  const step = plan.steps[c.data.stepId];
  if (step === undefined) return refused(unknownReference('step', c.data.stepId));
  const { minutes, extendedBy } = c.data;
  const refusal =
    offLadder(step) ??
    hasStarted(step, 'attempted') ??
    needsMet(plan, step, 'attempted') ??
    agreedStepUnchanged(step, minutes, extendedBy);
  if (refusal) return refused(refusal);
  const on = occurredOn(c);
  const isLonger = minutes !== null && minutes > step.minutes;
  const attempted = fact('StepAttempted', { ...c.data, extendedBy: isLonger ? extendedBy : null, occurredOn: on });
  const stretched = isLonger && extendedBy === 'adult' ? [agreedStepStretched(step, on)] : [];
  return accept([attempted], stretched);
}

export function masterStep(c: C.MasterStep, plan: PlanRecord, context: PlanContext): PlanDecision {
  const { stepId, pupilWords, pupilConfirmed } = c.data;
  const step = plan.steps[stepId];
  if (step === undefined) return refused(unknownReference('step', stepId));
  if (step.status === 'mastered') return accept([]);
  const refusal =
    offLadder(step) ?? hasStarted(step, 'mastered') ?? masteryNeedsComfort(step, pupilConfirmed, context.policy);
  if (refusal) return refused(refusal);
  return accept([fact('StepMastered', { stepId, pupilWords, occurredOn: occurredOn(c) })]);
}

/** A mastered step goes back into practice beside the current step; which step is current does not change. */
export function revisitStep(c: C.RevisitStep, plan: PlanRecord): PlanDecision {
  const step = plan.steps[c.data.stepId];
  if (step === undefined) return refused(unknownReference('step', c.data.stepId));
  if (step.status === 'practising' && hasBeenMastered(step)) return accept([]);
  if (step.status !== 'mastered') {
    return refused(offLadder(step) ?? stepStatus(step.label, 'is not mastered: only a mastered step is revisited.'));
  }
  return accept([fact('StepRevisited', { ...c.data, occurredOn: occurredOn(c) })]);
}
