import { accept } from '../decision.ts';
import type * as C from './plan-commands.ts';
import type { PlanContext } from './plan-context.ts';
import { fact, occurredOn, offLadder, type PlanDecision, refused } from './plan-decision.ts';
import { goalOf, hasBeenMastered, isOnLadder, neighboursOf, nextStepNumber, stepsOf } from './plan-ladder.ts';
import type { PlanRecord, Step } from './plan-record.ts';
import {
  agreementNeedsPupil,
  duplicateIds,
  groundworkBeforePlan,
  stepStatus,
  unknownReference,
  viewsBeforePlan,
} from './plan-rules.ts';
import { latestReviewDate } from './plan-rules-reviews.ts';
import {
  knownBarriers,
  leastToMostDifficult,
  notOnExcludedSituation,
  type Rung,
  splitIntoSmallerSteps,
  stepTooLarge,
} from './plan-rules-steps.ts';
import type { OpenedPlan } from './plan-state.ts';
import type { StepTerms } from './plan-values.ts';

const rungOf = ({ stepId, label, predictedAnxiety, dependsOn }: Step): Rung => ({
  stepId,
  label,
  predictedAnxiety,
  dependsOn,
});

const rungsOf = (step: Step | undefined): Rung[] => (step === undefined ? [] : [rungOf(step)]);

const newRungs = (steps: readonly StepTerms[], labelOf: (i: number) => string): Rung[] =>
  steps.map(({ stepId, predictedAnxiety, dependsOn }, i) => ({
    stepId,
    label: labelOf(i),
    predictedAnxiety,
    dependsOn,
  }));

const isStepIdTaken = (plan: PlanRecord) => (id: string) => plan.steps[id] !== undefined;

export function agreeGoal(c: C.AgreeGoal, plan: PlanRecord): PlanDecision {
  const refusal =
    agreementNeedsPupil(c.data.participants, 'goal') ??
    duplicateIds('goal', [c.data.goalId], (id) => plan.goals.some((g) => g.goalId === id));
  return refusal ? refused(refusal) : accept([fact('GoalAgreed', { ...c.data, occurredOn: occurredOn(c) })]);
}

/** The first agreement activates the plan and sets its first review date. */
export function agreeSteps(c: C.AgreeSteps, plan: OpenedPlan, context: PlanContext): PlanDecision {
  const { goalId, steps, participants } = c.data;
  const goal = plan.goals.find((g) => g.goalId === goalId);
  if (goal === undefined) return refused(unknownReference('goal', goalId));
  const on = occurredOn(c);
  const first = nextStepNumber(plan, goal);
  const rungs = newRungs(steps, (i) => String(first + i));
  const window = [...stepsOf(plan, goal).filter(isOnLadder).slice(-1).map(rungOf), ...rungs];
  const refusal =
    agreementNeedsPupil(participants, 'ladder of steps') ??
    viewsBeforePlan(plan) ??
    groundworkBeforePlan(plan) ??
    duplicateIds(
      'step',
      steps.map((s) => s.stepId),
      isStepIdTaken(plan),
    ) ??
    knownBarriers(plan, rungs) ??
    notOnExcludedSituation(plan, rungs, on) ??
    leastToMostDifficult(window);
  if (refusal) return refused(refusal);
  const activated =
    plan.status === 'gathering'
      ? [fact('PlanActivated', { reviewDueBy: latestReviewDate(plan, on, context), occurredOn: on })]
      : [];
  return accept(
    [fact('StepsAgreed', { ...c.data, occurredOn: on }), ...activated],
    stepTooLarge(window, context.policy),
  );
}

/** The new steps take the split step's place and keep the order with its neighbours on the ladder. */
export function splitStep(c: C.SplitStep, plan: PlanRecord, context: PlanContext): PlanDecision {
  const { stepId, steps, participants } = c.data;
  const step = plan.steps[stepId];
  const goal = step && goalOf(plan, step);
  if (step === undefined || goal === undefined) return refused(unknownReference('step', stepId));
  const on = occurredOn(c);
  const { before, after } = neighboursOf(plan, goal, step);
  const rungs = newRungs(steps, (i) => `${step.label}.${i + 1}`);
  const window = [...rungsOf(before), ...rungs, ...rungsOf(after)];
  const refusal =
    offLadder(step) ??
    (hasBeenMastered(step) ? stepStatus(step.label, 'has been mastered: revisit it rather than split it.') : null) ??
    agreementNeedsPupil(participants, `split of step ${step.label}`) ??
    splitIntoSmallerSteps(step, steps.length) ??
    duplicateIds(
      'step',
      steps.map((s) => s.stepId),
      isStepIdTaken(plan),
    ) ??
    knownBarriers(plan, rungs) ??
    notOnExcludedSituation(plan, rungs, on) ??
    leastToMostDifficult(window);
  if (refusal) return refused(refusal);
  return accept([fact('StepSplit', { ...c.data, occurredOn: on })], stepTooLarge(window, context.policy));
}

/** Withdrawing a step brings its neighbours together, which may leave a gap too large. */
export function withdrawStep(c: C.WithdrawStep, plan: PlanRecord, context: PlanContext): PlanDecision {
  const step = plan.steps[c.data.stepId];
  const goal = step && goalOf(plan, step);
  if (step === undefined || goal === undefined) return refused(unknownReference('step', c.data.stepId));
  const refusal = offLadder(step) ?? agreementNeedsPupil(c.data.participants, `withdrawal of step ${step.label}`);
  if (refusal) return refused(refusal);
  const { before, after } = neighboursOf(plan, goal, step);
  const joined = before && after ? [rungOf(before), rungOf(after)] : [];
  return accept(
    [fact('StepWithdrawn', { ...c.data, occurredOn: occurredOn(c) })],
    stepTooLarge(joined, context.policy),
  );
}
