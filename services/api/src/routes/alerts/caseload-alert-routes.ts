import {
  CaseloadAlertHistory,
  CaseloadAlertHistoryQuery,
  CaseloadAlertPage,
  CaseloadAlertQuery,
  Problem,
} from '@small-steps/contracts';
import { CASELOAD_ALERT_READERS, type CaseloadAlertItem } from '@small-steps/projections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpProblem } from '../../plugins/problems.ts';
import type { Services } from '../../services.ts';

const problems = { 400: Problem, 401: Problem, 403: Problem };

const withLink = <T extends CaseloadAlertItem>(item: T) => ({ ...item, links: { plan: `/v1/plans/${item.planId}` } });

const description = `The plans of your caseload that need someone now, each with why in plain words, since when and a link to the plan. An alert clears when its condition ends (a review held, a family contact recorded, a step practised…); \`/v1/caseload/alerts/history\` keeps every alert a plan has had.

Alerts follow the plan's events within moments (the projection worker keeps them) and are judged again every day, so those that fall due as days pass (a review date passing, a fortnight with no family contact, attendance falling) appear with no event at all. Thresholds are your LA's policy; school days skip weekends and your term dates.

LA officers and LA systems see their LA's alerts, school staff those of plans their school takes part in. Alerts carry no names, dates of birth or free text.`;

/** Caseload alerts for LA officers, LA systems and school staff. */
export async function caseloadAlertRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { caseloadAlertReads } = services;

  api.get(
    '/v1/caseload/alerts',
    {
      config: { roles: CASELOAD_ALERT_READERS },
      schema: {
        tags: ['caseload'],
        operationId: 'listCaseloadAlerts',
        summary: 'List the open caseload alerts you may see, oldest condition first',
        description,
        querystring: CaseloadAlertQuery,
        response: { 200: CaseloadAlertPage, ...problems },
      },
    },
    async (request, reply) => {
      const { kind, schoolUrn, cursor, limit } = request.query;
      const page = await caseloadAlertReads.list(request.principal, { kind, schoolUrn, cursor, limit });
      return reply.header('cache-control', 'no-store').send({ items: page.items.map(withLink), next: page.next });
    },
  );

  api.get(
    '/v1/caseload/alerts/history',
    {
      config: { roles: CASELOAD_ALERT_READERS },
      schema: {
        tags: ['caseload'],
        operationId: 'getCaseloadAlertHistory',
        summary: 'Every caseload alert a plan has had, raised and cleared, newest first',
        querystring: CaseloadAlertHistoryQuery,
        response: { 200: CaseloadAlertHistory, 404: Problem, ...problems },
      },
    },
    async (request, reply) => {
      const { planId } = request.query;
      const items = await caseloadAlertReads.history(request.principal, planId);
      if (items === undefined) throw new HttpProblem('not-found', `No plan ${planId} in your records.`);
      return reply.header('cache-control', 'no-store').send({ items: items.map(withLink) });
    },
  );
}
