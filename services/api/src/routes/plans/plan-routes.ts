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
  PlanProgress,
  PlanReadQuery,
  PlanStepParams,
  StepAttemptPage,
  StepAttemptQuery,
} from '@small-steps/contracts';
import { planProgress } from '@small-steps/domain';
import { unrecorded } from '@small-steps/projections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readerOf } from '../../auth/reader.ts';
import { READERS, WRITERS } from '../../auth/roles.ts';
import { commandOptions, locationOf } from '../../commands/http-command.ts';
import { HttpProblem } from '../../plugins/problems.ts';
import type { Services } from '../../services.ts';
import { sendWithEtag } from '../conditional-get.ts';
import { barrierRoutes } from './plan-barrier-routes.ts';
import { planProblems, planTags, RETURN_MINIMAL_NOTE, sendPlanCommandResult } from './plan-command-route.ts';
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
        operationId: 'openPlan',
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
      return sendPlanCommandResult(reply, result);
    },
  );

  api.get(
    '/v1/plans/:planId',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        operationId: 'getPlan',
        summary: 'Read a plan, now or as it stood',
        description:
          'The current plan: status, goals, ladders with each step and its latest 20 attempts (`attemptCount` counts them all), the current step, open barriers, advisories and the next review. With `asOf`, the plan replayed from the events recorded by then.',
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
      // A plan as it stood is not the record's current version: it has no ETag to revalidate.
      return asOf ? reply.send(plan) : sendWithEtag(request, reply, etagFor(plan.version), plan);
    },
  );

  api.get(
    '/v1/plans',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        operationId: 'listPlans',
        summary: 'List plans, a page at a time',
        description: 'Plans in your LA (school staff: those their school takes part in), oldest opened first.',
        querystring: PlanListQuery,
        headers: AccessReasonHeaders,
        response: { 200: PlanPage, ...planProblems },
      },
    },
    async (request) => {
      const { limit, cursor, status, schoolUrn, pupilId, updatedSince } = request.query;
      return planReads.list(
        readerOf(request),
        {
          ...(status ? { status } : {}),
          ...(schoolUrn ? { schoolUrn } : {}),
          ...(pupilId ? { pupilId } : {}),
          ...(updatedSince ? { updatedSince: new Date(updatedSince) } : {}),
        },
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
        operationId: 'getPlanHistory',
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
    '/v1/plans/:planId/steps/:stepId/attempts',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        operationId: 'listStepAttempts',
        summary: 'Read every attempt on a step, a page at a time',
        description:
          'The attempts recorded on the step, oldest first, each with its number. The plan itself carries only the latest 20 of each step, so that reading a plan costs the same however long a step has been practised.',
        params: PlanStepParams,
        querystring: StepAttemptQuery,
        headers: AccessReasonHeaders,
        response: { 200: StepAttemptPage, ...planProblems },
      },
    },
    async (request) => {
      const { planId, stepId } = request.params;
      const { limit, cursor } = request.query;
      const attempts = await planReads.attempts(readerOf(request), planId, stepId, {
        limit,
        ...(cursor ? { cursor } : {}),
      });
      if (!attempts) throw new HttpProblem('not-found', `No step ${stepId} in plan ${planId} in your records.`);
      return attempts;
    },
  );
  api.get(
    '/v1/plans/:planId/observation-patterns',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        operationId: 'getObservationPatterns',
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

  api.get(
    '/v1/plans/:planId/progress',
    {
      config: { roles: READERS },
      schema: {
        tags: planTags,
        operationId: 'getPlanProgress',
        summary: "A plan's progress as figures",
        description:
          'Plain figures beside the pictures, so an LA system can draw its own: per step the habituation curve (anxiety before and after each attempt) and whether anxiety after is falling, the days from agreement to first mastery; steps mastered per month; and the observations counted by tag, weekday and part of the day (kept by the projection worker, a moment behind).',
        params: PlanIdParams,
        headers: AccessReasonHeaders,
        response: { 200: PlanProgress, ...planProblems },
      },
    },
    async (request) => {
      const { planId } = request.params;
      const reader = readerOf(request);
      const plan = await planReads.withWholeCurves(reader, planId);
      // Recorded once, by the plan read: the patterns are part of the same answer.
      const patterns = plan && (await planReads.observationPatterns(unrecorded(reader), planId));
      if (!plan || !patterns) throw notFound(planId);
      const { planId: _planId, ...observations } = patterns;
      return { planId, ...planProgress(plan), observations };
    },
  );

  gatheringRoutes(app, services);
  barrierRoutes(app, services);
  ladderRoutes(app, services);
  reviewRoutes(app, services);
  lifecycleRoutes(app, services);
}
