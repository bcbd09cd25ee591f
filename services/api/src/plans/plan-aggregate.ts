import { mergePersonal, PLAN_EVENT_SCHEMA_VERSION, planEventSchemas, splitPersonal } from '@small-steps/contracts';
import {
  decidePlan,
  evolvePlan,
  initialState,
  type Plan,
  type PlanCommand,
  type PlanContext,
  type PlanEvent,
} from '@small-steps/domain';
import type { Principal } from '../auth/principal.ts';
import type { Aggregate } from '../commands/run-command.ts';

export const planStreamId = (planId: string): string => `plan-${planId}`;

/** A plan command as a route states it: its type and facts, before the metadata is added. */
export type PlanCommandRequest = PlanCommand extends infer C
  ? C extends PlanCommand
    ? Omit<C, 'metadata'>
    : never
  : never;

/**
 * The command the decider gets: who asks (the caller), `now` (when the request arrived) and, when
 * backdated, the date it happened; without one the domain dates the fact today in England.
 */
export function planCommand(
  request: PlanCommandRequest,
  { principal, now, occurredOn }: { principal: Principal; now: Date; occurredOn?: string | undefined },
): PlanCommand {
  const actor = { id: principal.id, role: principal.role, tenant: principal.tenant };
  return {
    ...request,
    metadata: { actor, now: now.toISOString(), ...(occurredOn === undefined ? {} : { occurredOn }) },
  } as PlanCommand;
}

/**
 * The plan decider as the command runner drives it. Each event is checked against its version-1
 * contract, and the fields the contract marks personal are stored in `personal`, apart from `data`.
 */
export const planAggregate: Aggregate<Plan, PlanCommand, PlanEvent, PlanContext> = {
  initialState,
  evolve: evolvePlan,
  decide: decidePlan,
  toStored(event) {
    const schema = planEventSchemas[event.type];
    // The domain and the contract disagreeing is a programmer error: better a 500 than an unreadable event.
    schema.parse(event.data);
    const { data, personal } = splitPersonal(schema, event.data);
    return { type: event.type, schemaVersion: PLAN_EVENT_SCHEMA_VERSION, data, personal };
  },
  fromStored(stored) {
    if (stored.schemaVersion !== PLAN_EVENT_SCHEMA_VERSION) {
      throw new Error(`No upcaster for ${stored.type} version ${stored.schemaVersion}`);
    }
    return { type: stored.type, data: mergePersonal(stored.data, stored.personal) } as PlanEvent;
  },
};
