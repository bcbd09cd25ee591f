import { oneOpenPlan, type Plan, type PlanView } from '@small-steps/domain';
import { isOneOpenPlanViolation, type NewAttempt, planViewWrites } from '@small-steps/projections';
import type { InlineProjection } from '../commands/run-command.ts';
import { RuleBroken } from '../plugins/problems.ts';

/** The current plan, written with the append; a second open plan for the pupil is `one-open-plan`. */
export function projectPlan(
  change: { before: Plan; after: Plan; version: number },
  view: PlanView | null,
  tenant: string,
): InlineProjection {
  if (!view) return { writes: [] };
  return {
    writes: planViewWrites({ tenant, view, version: change.version, newAttempts: newAttempts(change) }),
    refusal(error) {
      if (!isOneOpenPlanViolation(error)) return undefined;
      const { rule, reason } = oneOpenPlan();
      return new RuleBroken(rule, reason, [
        { pointer: '/body/pupilId', detail: 'already has an open plan', code: 'one_open_plan' },
      ]);
    },
  };
}

/** Attempts are only ever added, at the end of a step's list: the new ones are those past the old count. */
function newAttempts({ before, after }: { before: Plan; after: Plan }): NewAttempt[] {
  if (after.status === 'none') return [];
  return Object.values(after.steps).flatMap((step) => {
    const known = before.status === 'none' ? 0 : (before.steps[step.stepId]?.attempts.length ?? 0);
    return step.attempts.slice(known).map((attempt, i) => ({ stepId: step.stepId, number: known + i + 1, attempt }));
  });
}
