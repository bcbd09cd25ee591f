import {
  AddressBarrierBody,
  ArrangeProvisionBody,
  EndProvisionBody,
  ExcludeSituationBody,
  IdentifyBarrierBody,
  PlanBarrierParams,
  PlanIdParams,
  PlanProvisionParams,
  PutAdjustmentInPlaceBody,
} from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { commandRegistrar } from './plan-command-route.ts';

/** Barriers to meet before the pupil faces a situation, and the provision around the steps. */
export function barrierRoutes(app: FastifyInstance, services: Services): void {
  const command = commandRegistrar(app, services);
  command({
    url: '/v1/plans/:planId/barriers',
    operationId: 'identifyBarrier',
    summary: 'Identify a barrier',
    description:
      'A need to meet before the pupil is asked to face a situation: bullying, sensory, environment … and the situations it affects. Steps may depend on it.',
    rules: ['duplicate-id'],
    params: PlanIdParams,
    body: IdentifyBarrierBody,
    command: (_, facts) => ({ type: 'IdentifyBarrier', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/barriers/:barrierId/adjustments',
    operationId: 'recordBarrierAdjustment',
    summary: 'Record an adjustment put in place for a barrier',
    description: 'What was done about the barrier: a reasonable adjustment, equipment, an environment change …',
    rules: [],
    params: PlanBarrierParams,
    body: PutAdjustmentInPlaceBody,
    command: ({ barrierId }, facts) => ({ type: 'PutAdjustmentInPlace', data: { barrierId, ...facts } }),
    reference: ({ barrierId }) => ({ kind: 'barrier', id: barrierId }),
  });
  command({
    url: '/v1/plans/:planId/barriers/:barrierId/address',
    operationId: 'addressBarrier',
    summary: 'Record that a barrier is addressed',
    description:
      'The barrier is met well enough for the pupil to face its situations: steps that depend on it can now be started. Addressing it again changes nothing.',
    rules: [],
    params: PlanBarrierParams,
    body: AddressBarrierBody,
    command: ({ barrierId }, facts) => ({ type: 'AddressBarrier', data: { barrierId, ...facts } }),
    reference: ({ barrierId }) => ({ kind: 'barrier', id: barrierId }),
  });
  command({
    url: '/v1/plans/:planId/barriers/:barrierId/situation-exclusion',
    operationId: 'excludeBarrierSituation',
    summary: "Exclude a barrier's situation instead of meeting it",
    description:
      'The requirement is removed instead (the hall is too loud and always will be), with the reason and a review date or permanently. No step may depend on it.',
    rules: ['needs-before-exposure'],
    params: PlanBarrierParams,
    body: ExcludeSituationBody,
    command: ({ barrierId }, facts) => ({ type: 'ExcludeSituation', data: { barrierId, ...facts } }),
    reference: ({ barrierId }) => ({ kind: 'barrier', id: barrierId }),
  });
  command({
    url: '/v1/plans/:planId/provisions',
    operationId: 'arrangeProvision',
    summary: 'Arrange provision from the catalogue',
    description:
      "Support around the steps, from the tenant's provision catalogue (daily check-in, pre/post-brief, a safe space …).",
    rules: ['duplicate-id', 'unknown-reference'],
    params: PlanIdParams,
    body: ArrangeProvisionBody,
    command: (_, facts) => ({ type: 'ArrangeProvision', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/provisions/:provisionId/end',
    operationId: 'endProvision',
    summary: 'End provision',
    description: 'The provision stops; ending it again changes nothing.',
    rules: [],
    params: PlanProvisionParams,
    body: EndProvisionBody,
    command: ({ provisionId }, facts) => ({ type: 'EndProvision', data: { provisionId, ...facts } }),
    reference: ({ provisionId }) => ({ kind: 'provision', id: provisionId }),
  });
}
