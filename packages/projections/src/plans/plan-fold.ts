import { planEventCodec } from '@small-steps/contracts';
import { evolvePlan, initialState, type Plan } from '@small-steps/domain';
import type { Fold } from '../stream-states.ts';

/** A plan stream's events folded into the plan, each read through its codec (upcasters applied). */
export const planFold: Fold<Plan> = {
  initial: initialState,
  evolve: (plan, event) => planEventCodec.decode(event).reduce(evolvePlan, plan),
};

export const planStreamId = (planId: string): string => `plan-${planId}`;
