import type { PlanEvent } from '@small-steps/domain';
import { mergePersonal, splitPersonal } from '../plan/personal-parts.ts';
import { PLAN_EVENT_SCHEMA_VERSION, planEventSchemas } from '../plan/plan-event-schemas.ts';
import type { EventCodec } from './event-codec.ts';
import { createUpcasterRegistry } from './upcaster-registry.ts';

/** Every plan event type is at version 1; no plan event has had an older version. */
export const planEventUpcasters = createUpcasterRegistry(
  Object.fromEntries(Object.keys(planEventSchemas).map((type) => [type, PLAN_EVENT_SCHEMA_VERSION])),
);

/**
 * Plan events in the store. Each event is checked against its contract, and the fields the contract
 * marks `x-personal` are stored in `personal`, apart from `data`; reading merges them back.
 */
export const planEventCodec: EventCodec<PlanEvent> = {
  upcasters: planEventUpcasters,
  encode(event) {
    const schema = planEventSchemas[event.type];
    // The domain and the contract disagreeing is a programmer error: better a 500 than an unreadable event.
    schema.parse(event.data);
    const { data, personal } = splitPersonal(schema, event.data as Record<string, unknown>);
    return { type: event.type, schemaVersion: PLAN_EVENT_SCHEMA_VERSION, data, personal };
  },
  decode(stored) {
    return planEventUpcasters
      .upcast(stored)
      .map((current) => ({ type: current.type, data: mergePersonal(current.data, current.personal) }) as PlanEvent);
  },
};
