import type { IsoDate } from '../calendar/index.ts';
import type { Advisory } from '../decision.ts';
import { countingAttempts, currentStepOf, goalOf, isExcludedOn, unaddressedBarriersOf } from './plan-ladder.ts';
import type { PlanPolicy } from './plan-policy.ts';
import type { PlanRecord, Step } from './plan-record.ts';
import { listed, type PlanAdvisoryId, type Refusal, refusal } from './plan-rules.ts';
import type { Extender } from './plan-values.ts';

/** An advisory about one step: the later step of a large gap, or the step an adult stretched. */
export interface PlanAdvisory extends Advisory {
  rule: PlanAdvisoryId;
  stepId: string;
}

/** A step as the ladder rules see it: how it is named and how hard the pupil expects it to be. */
export interface Rung {
  stepId: string;
  label: string;
  predictedAnxiety: number;
  dependsOn: readonly string[];
}

const steps = (labels: readonly string[]): string => `${labels.length > 1 ? 'Steps' : 'Step'} ${listed(labels)}`;

/** `least-to-most-difficult`: predicted anxiety never decreases from one step to the next. */
export function leastToMostDifficult(rungs: readonly Rung[]): Refusal | null {
  for (const [i, rung] of rungs.entries()) {
    const before = rungs[i - 1];
    if (before !== undefined && rung.predictedAnxiety < before.predictedAnxiety) {
      return refusal(
        'least-to-most-difficult',
        `Step ${rung.label} is predicted to be less difficult (anxiety ${rung.predictedAnxiety}) than step ${before.label} before it (anxiety ${before.predictedAnxiety}): a ladder goes from the least to the most difficult step.`,
      );
    }
  }
  return null;
}

/** Advisory `step-too-large`: neighbouring steps differ by more than the policy's gap. */
export function stepTooLarge(rungs: readonly Rung[], policy: PlanPolicy): PlanAdvisory[] {
  return rungs.flatMap((rung, i) => {
    const before = rungs[i - 1];
    const gap = before === undefined ? 0 : Math.abs(rung.predictedAnxiety - before.predictedAnxiety);
    if (before === undefined || gap <= policy.stepTooLargeGap) return [];
    const detail = `Steps ${before.label} and ${rung.label} differ by ${gap} points of predicted anxiety, more than ${policy.stepTooLargeGap}: a smaller step between them would let the pupil feel comfortable before moving on.`;
    return [{ rule: 'step-too-large', detail, stepId: rung.stepId }];
  });
}

/** `unknown-reference`: every barrier a step depends on has been identified on this plan. */
export function knownBarriers(plan: PlanRecord, rungs: readonly Rung[]): Refusal | null {
  const known = new Set(plan.barriers.map((b) => b.barrierId));
  const strays = rungs.filter((r) => r.dependsOn.some((id) => !known.has(id))).map((r) => r.label);
  if (strays.length === 0) return null;
  return refusal('unknown-reference', `${steps(strays)} depend on a barrier this plan has not identified.`);
}

/** `needs-before-exposure`: a step never depends on a situation that is excluded on that date. */
export function notOnExcludedSituation(plan: PlanRecord, rungs: readonly Rung[], on: IsoDate): Refusal | null {
  const excluded = new Set(plan.barriers.filter((b) => isExcludedOn(b, on)).map((b) => b.barrierId));
  const exposed = rungs.filter((r) => r.dependsOn.some((id) => excluded.has(id))).map((r) => r.label);
  if (exposed.length === 0) return null;
  return refusal(
    'needs-before-exposure',
    `${steps(exposed)} would depend on a situation excluded from the plan: a step never asks the pupil to face an excluded situation.`,
  );
}

/** `needs-before-exposure`: a situation cannot be excluded while a step on a ladder depends on it. */
export function noStepDependsOn(plan: PlanRecord, barrierId: string): Refusal | null {
  const dependants = Object.values(plan.steps)
    .filter((s) => s.status !== 'split' && s.status !== 'withdrawn' && s.dependsOn.includes(barrierId))
    .map((s) => s.label);
  if (dependants.length === 0) return null;
  return refusal(
    'needs-before-exposure',
    `${steps(dependants)} depend on this barrier: withdraw or split them before excluding its situation, because a step never depends on an excluded situation.`,
  );
}

/** `needs-before-exposure`: every barrier the step depends on is addressed before it is started or attempted. */
export function needsMet(plan: PlanRecord, step: Step, action: 'started' | 'attempted'): Refusal | null {
  const open = unaddressedBarriersOf(plan, step);
  if (open.length === 0) return null;
  return refusal(
    'needs-before-exposure',
    `Step ${step.label} cannot be ${action} until the ${open.length > 1 ? `${open.length} barriers` : 'barrier'} it depends on ${open.length > 1 ? 'are' : 'is'} addressed: needs are met before the pupil is asked to face a situation.`,
  );
}

/** `no-skipping`: only the current step starts; steps are practised in order. */
export function isCurrentStep(plan: PlanRecord, step: Step): Refusal | null {
  const goal = goalOf(plan, step);
  const current = goal === undefined ? undefined : currentStepOf(plan, goal);
  if (current === undefined || current.stepId === step.stepId) return null;
  return refusal(
    'no-skipping',
    `Step ${step.label} cannot start while step ${current.label} is not mastered: steps are practised in order.`,
  );
}

/** `no-skipping`: a step is attempted or mastered only once it has been started. */
export function hasStarted(step: Step, action: 'attempted' | 'mastered'): Refusal | null {
  if (step.status !== 'agreed') return null;
  return refusal('no-skipping', `Step ${step.label} cannot be ${action} before it is started.`);
}

/** `agreed-step-unchanged`: an attempt longer than agreed says who chose to stay longer. */
export function agreedStepUnchanged(step: Step, minutes: number | null, extendedBy: Extender | null): Refusal | null {
  if (minutes === null || minutes <= step.minutes || extendedBy !== null) return null;
  return refusal(
    'agreed-step-unchanged',
    `The attempt lasted ${minutes} minutes, longer than the ${step.minutes} agreed for step ${step.label}: record whether the pupil or an adult chose to stay longer. An agreed step is not changed.`,
  );
}

/** Advisory `agreed-step-stretched`: an adult kept the pupil longer than agreed; it stays until the next review. */
export const agreedStepStretched = (step: Step, on: IsoDate): PlanAdvisory => ({
  rule: 'agreed-step-stretched',
  stepId: step.stepId,
  detail: `On ${on} an adult extended step ${step.label} beyond its agreed ${step.minutes} minutes: an agreed step is not changed, because staying longer can leave the pupil more anxious. Discuss it at the next review.`,
});

/** `agreed-step-unchanged`: a step changes only by being split into smaller steps or withdrawn. */
export function splitIntoSmallerSteps(step: Step, count: number): Refusal | null {
  if (count >= 2) return null;
  return refusal(
    'agreed-step-unchanged',
    `Step ${step.label} can be split into two or more smaller steps, not replaced by one: an agreed step is never changed.`,
  );
}

/** `mastery-needs-comfort`: the pupil says so, the latest attempts were completed, and anxiety after was low. */
export function masteryNeedsComfort(step: Step, pupilConfirmed: boolean, policy: PlanPolicy): Refusal | null {
  const { masteryAttempts: needed, masteryMaxAnxietyAfter: highest } = policy;
  const latest = countingAttempts(step).slice(-needed);
  const refuse = (why: string) =>
    refusal(
      'mastery-needs-comfort',
      `Step ${step.label} is not yet mastered: ${why} A step is mastered when the pupil feels comfortable with it.`,
    );
  if (!pupilConfirmed) return refuse('the pupil has not said they feel comfortable with it.');
  if (latest.length < needed || latest.some((a) => a.outcome !== 'completed')) {
    return refuse(`its last ${needed} attempts must be completed.`);
  }
  if (latest.some((a) => a.anxietyAfter !== null && a.anxietyAfter > highest)) {
    return refuse(
      `the pupil's anxiety after its last ${needed} attempts must be ${highest} or less where they rated it.`,
    );
  }
  return null;
}
