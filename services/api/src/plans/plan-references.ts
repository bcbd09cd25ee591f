import type { OpenedPlan, Plan } from '@small-steps/domain';
import type { Aggregate } from '../commands/run-command.ts';
import { HttpProblem } from '../plugins/problems.ts';

/** Something of the plan that a route names in its path: unknown, it is a 404 rather than a broken rule. */
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

/** The aggregate, answering 404 before it decides when the plan has no such thing. */
export function requiringReference<C, E, X>(
  aggregate: Aggregate<Plan, C, E, X>,
  reference: PlanReference,
): Aggregate<Plan, C, E, X> {
  return {
    ...aggregate,
    decide(command, plan, context) {
      if (plan.status !== 'none' && !has[reference.kind](plan, reference.id)) {
        throw new HttpProblem(
          'not-found',
          `This plan has no ${described[reference.kind]} ${JSON.stringify(reference.id)}.`,
        );
      }
      return aggregate.decide(command, plan, context);
    },
  };
}
