import type { OpenedPlan, Plan } from '@small-steps/domain';
import { type CommandResult, notFound } from '../commands/command-result.ts';

/** Something of the plan that a route names in its path: unknown, it is not found rather than a broken rule. */
export interface PlanReference {
  kind: 'goal' | 'step' | 'barrier' | 'provision' | 'setting';
  id: string;
}

const has: Record<PlanReference['kind'], (plan: OpenedPlan, id: string) => boolean> = {
  goal: (plan, id) => plan.goals.some((g) => g.goalId === id),
  step: (plan, id) => plan.steps[id] !== undefined,
  barrier: (plan, id) => plan.barriers.some((b) => b.barrierId === id),
  provision: (plan, id) => plan.provisions.some((p) => p.provisionId === id),
  setting: (plan, id) => plan.settings.some((s) => s.urn === id && s.leftOn === null),
};

const described: Record<PlanReference['kind'], string> = {
  goal: 'goal',
  step: 'step',
  barrier: 'barrier',
  provision: 'provision',
  setting: 'participating setting',
};

/** Not found when the plan has no such thing; undefined when it has. */
export function checkReference(plan: Plan, reference: PlanReference): CommandResult | undefined {
  if (plan.status === 'none' || has[reference.kind](plan, reference.id)) return undefined;
  return notFound(`This plan has no ${described[reference.kind]} ${JSON.stringify(reference.id)}.`);
}
