import {
  AnalyticsAttendance,
  AnalyticsAttendanceQuery,
  AnalyticsPlanOutcomes,
  AnalyticsPlans,
  AnalyticsPlansQuery,
  Problem,
} from '@small-steps/contracts';
import { planOutcomes } from '@small-steps/domain';
import { ANALYTICS_READERS, PLAN_STATUSES } from '@small-steps/projections';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { toCsv } from './analytics-csv.ts';

const tags = ['analytics'];
const problems = { 400: Problem, 401: Problem, 403: Problem };
const NOTE =
  ' Pseudonymous: no pupil is named or identified, and every count of fewer than 5 pupils, or one that would give such a count away by subtraction from a total, reads `c`. Your LA only. Send `Accept: text/csv` for the same table as CSV (RFC 4180, a header row; a `total` row last). Kept from the log by the projection worker: it follows the records by a moment.';

/** JSON, or CSV (RFC 4180) when the caller asks for it; both carry the same published cells. */
const answer = <T>(content: T) => ({
  200: {
    description: 'The table',
    content: {
      'application/json': { schema: content },
      'text/csv': {
        schema: z.string().max(10_000_000).meta({ description: 'The same table as CSV, with a header row.' }),
      },
    },
  },
  ...problems,
});

const wantsCsv = (request: FastifyRequest): boolean => /\btext\/csv\b/i.test(request.headers.accept ?? '');

const sendCsv = (reply: FastifyReply, name: string, csv: string) =>
  reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .header('cache-control', 'private, no-store')
    .send(csv);

/** Pseudonymous analytics of an LA for its analysts (docs/domain.md §3 "Analytics"). */
export async function analyticsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { analyticsReads } = services;

  api.get(
    '/v1/analytics/plans',
    {
      config: { roles: ANALYTICS_READERS },
      schema: {
        tags,
        operationId: 'getPlanAnalytics',
        summary: 'Plans by status, per school, year group or SEN need',
        description: `How many plans are gathering, active, paused and closed, a row per school (\`by=school\`), year group or primary SEN need.${NOTE}`,
        querystring: AnalyticsPlansQuery,
        response: answer(AnalyticsPlans),
      },
    },
    async (request, reply) => {
      const { by, ...filter } = request.query;
      const table = await analyticsReads.plansByStatus(request.principal, by, filter);
      if (!wantsCsv(request)) return reply.header('cache-control', 'private, no-store').send(table);
      return sendCsv(
        reply,
        'plans',
        toCsv(
          [by, ...PLAN_STATUSES, 'total'],
          [...table.rows, table.totals].map((row) => [
            row.group,
            ...PLAN_STATUSES.map((s) => row.counts[s]),
            row.total,
          ]),
        ),
      );
    },
  );

  api.get(
    '/v1/analytics/plan-outcomes',
    {
      config: { roles: ANALYTICS_READERS },
      schema: {
        tags,
        operationId: 'getPlanOutcomeAnalytics',
        summary: 'Outcomes at closing, weeks to first mastery, attendance after opening',
        description: `Per school, year group or primary SEN need: plans closed by outcome; the plans with a step mastered and the median weeks from opening to the first; and how many plans saw the pupil's attendance rise 10 points or more within 12 weeks of opening (against the 4 weeks with sessions before), of those where it is known, with the share.${NOTE}`,
        querystring: AnalyticsPlansQuery,
        response: answer(AnalyticsPlanOutcomes),
      },
    },
    async (request, reply) => {
      const { by, ...filter } = request.query;
      const table = await analyticsReads.planOutcomes(request.principal, by, filter);
      if (!wantsCsv(request)) return reply.header('cache-control', 'private, no-store').send(table);
      return sendCsv(
        reply,
        'plan-outcomes',
        toCsv(
          [
            by,
            ...planOutcomes.map((o) => `closed_${o}`),
            'closed_total',
            'plans_with_mastered_step',
            'median_weeks_to_first_mastered_step',
            'attendance_rose',
            'attendance_did_not_rise',
            'attendance_rose_share',
          ],
          [...table.rows, table.totals].map((row) => [
            row.group,
            ...planOutcomes.map((o) => row.closed[o]),
            row.closed.total,
            row.plansWithMasteredStep,
            row.medianWeeksToFirstMasteredStep,
            row.attendanceRose,
            row.attendanceDidNotRise,
            row.attendanceRoseShare,
          ]),
        ),
      );
    },
  );

  api.get(
    '/v1/analytics/attendance',
    {
      config: { roles: ANALYTICS_READERS },
      schema: {
        tags,
        operationId: 'getAttendanceAnalytics',
        summary: 'Attendance, persistent and severe absence, week by week',
        description: `For each week of an academic year, per school or year group and in total: the pupils with marks that week, the attendance rate over the week, and how many of them were persistently absent (10 % or more of possible sessions missed) and severely absent (50 % or more) over the year to the week's end.${NOTE}`,
        querystring: AnalyticsAttendanceQuery,
        response: answer(AnalyticsAttendance),
      },
    },
    async (request, reply) => {
      const { by, ...filter } = request.query;
      const table = await analyticsReads.attendance(request.principal, by, filter);
      if (!wantsCsv(request)) return reply.header('cache-control', 'private, no-store').send(table);
      return sendCsv(
        reply,
        'attendance',
        toCsv(
          ['week_start', by, 'pupils', 'rate', 'persistent_absence', 'severe_absence'],
          table.rows.map((row) => [
            row.weekStart,
            row.group,
            row.pupils,
            row.rate,
            row.persistentAbsence,
            row.severeAbsence,
          ]),
        ),
      );
    },
  );
}
