import { etagFor } from '@small-steps/application';
import {
  AccessReasonHeaders,
  ObservationPatterns,
  OpenPlanBody,
  Plan,
  PlanCommandAnswer,
  PlanHistoryPage,
  PlanHistoryQuery,
  PlanIdParams,
  PlanListQuery,
  PlanPage,
  PlanReadQuery,
} from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readerOf } from '../../auth/reader.ts';
import { READERS, WRITERS } from '../../auth/roles.ts';
import { commandOptions, locationOf, sendCommandResult } from '../../commands/http-command.ts';
import { HttpProblem } from '../../plugins/problems.ts';
import type { Services } from '../../services.ts';
import { barrierRoutes } from './plan-barrier-routes.ts';
import { planProblems, planTags, RETURN_MINIMAL_NOTE } from './plan-command-route.ts';
import { gatheringRoutes } from './plan-gathering-routes.ts';
import { ladderRoutes } from './plan-ladder-routes.ts';
import { lifecycleRoutes } from './plan-lifecycle-routes.ts';
import { reviewRoutes } from './plan-review-routes.ts';

const notFound = (planId: string) => new HttpProblem('not-found', `No plan ${planId} in your records.`);

/** Stepped support plans: open one, carry out its commands, read it now, as it stood, or its history. */
export async function planRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { plans: planCommands, planReads } = services;

  api.post(
    '/v1/plans',
    {
      config: { roles: WRITERS },
      schema: {
        tags: planTags,
        summary: 'Open a stepped support plan for a pupil',
        description:
          'The pupil must be in your records; a pupil has one open plan at a time (422 `one-open-plan`). The plan starts gathering information.' +
          RETURN_MINIMAL_NOTE,
        body: OpenPlanBody,
        response: { 201: PlanCommandAnswer, ...planProblems },
      },
    },
    async (request, reply) => {
      const result = await planCommands.open(request.body, commandOptions(request));
      const location = locationOf(result, (id) => `/v1/plans/${id}`, 'planId');
      if (location) reply.header('location', location);
      return sendCommandResult(reply, result);
    },
  );

  api.get(
    '/v1/plans/:planId',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        summary: 'Read a plan, now or as it stood',
        description:
          'The current plan: status, goals, ladders with each step and its attempts, the current step, open barriers, advisories and the next review. With `asOf`, the plan replayed from the events recorded by then.',
        params: PlanIdParams,
        querystring: PlanReadQuery,
        headers: AccessReasonHeaders,
        response: { 200: Plan, ...planProblems },
      },
    },
    async (request, reply) => {
      const { planId } = request.params;
      const { asOf } = request.query;
      const plan = asOf
        ? await planReads.asOf(readerOf(request), planId, new Date(asOf))
        : await planReads.get(readerOf(request), planId);
      if (!plan) throw notFound(planId);
      if (!asOf) reply.header('etag', etagFor(plan.version));
      return reply.send(plan);
    },
  );

  api.get(
    '/v1/plans',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        summary: 'List plans, a page at a time',
        description: 'Plans in your LA (school staff: those their school takes part in), oldest opened first.',
        querystring: PlanListQuery,
        headers: AccessReasonHeaders,
        response: { 200: PlanPage, ...planProblems },
      },
    },
    async (request) => {
      const { limit, cursor, status, schoolUrn, pupilId } = request.query;
      return planReads.list(
        readerOf(request),
        { ...(status ? { status } : {}), ...(schoolUrn ? { schoolUrn } : {}), ...(pupilId ? { pupilId } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
      );
    },
  );

  api.get(
    '/v1/plans/:planId/events',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        summary: "Read a plan's history",
        description:
          'Every event in order: its type and version, who recorded it (id and role), when it was recorded, when it happened, why, and its data and personal payload.',
        params: PlanIdParams,
        querystring: PlanHistoryQuery,
        headers: AccessReasonHeaders,
        response: { 200: PlanHistoryPage, ...planProblems },
      },
    },
    async (request) => {
      const { planId } = request.params;
      const { limit, cursor } = request.query;
      const history = await planReads.history(readerOf(request), planId, { limit, ...(cursor ? { cursor } : {}) });
      if (!history) throw notFound(planId);
      return history;
    },
  );

  api.get(
    '/v1/plans/:planId/observation-patterns',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        summary: "Count a plan's observations by tag, weekday and part of the day",
        description:
          'What the observations logged on the plan were tagged, which weekdays and which parts of the school day they fell on, so a review can look for triggers and patterns. Kept from the log by the projection worker: an observation logged a moment ago may not be counted yet.',
        params: PlanIdParams,
        headers: AccessReasonHeaders,
        response: { 200: ObservationPatterns, ...planProblems },
      },
    },
    async (request) => {
      const { planId } = request.params;
      const patterns = await planReads.observationPatterns(readerOf(request), planId);
      if (!patterns) throw notFound(planId);
      return patterns;
    },
  );

  gatheringRoutes(app, services);
  barrierRoutes(app, services);
  ladderRoutes(app, services);
  reviewRoutes(app, services);
  lifecycleRoutes(app, services);
}
