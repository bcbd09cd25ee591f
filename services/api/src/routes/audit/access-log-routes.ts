import { AccessLogPage, AccessLogQuery, AccessReasonHeaders, Problem } from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readerOf } from '../../auth/reader.ts';
import { AUDITORS } from '../../auth/roles.ts';
import type { Services } from '../../services.ts';

const description = `Who read which pupil's record: every read by a person of a pupil, a plan, its history, its observation patterns, attendance or progress picture (one record per pupil shown), and each page of the change feed read by anyone, with who (the token's \`sub\` and role), when, which route (its pattern) and the \`X-Access-Reason\` they sent. Records are written before the read is answered, so a read that cannot be recorded fails; nothing can change or remove them. Reads of this log are recorded too. Oldest first, a page at a time; auditors and administrators of your LA.`;

/** The access log, for auditors: who read which pupil's record, when, through which route and why. */
export async function accessLogRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { accessLog } = services;

  api.get(
    '/v1/audit/access-log',
    {
      config: { roles: AUDITORS },
      schema: {
        tags: ['audit'],
        operationId: 'readAccessLog',
        summary: "Read the access log: who read which pupil's record",
        description,
        querystring: AccessLogQuery,
        headers: AccessReasonHeaders,
        response: { 200: AccessLogPage, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const { pupilId, actor, from, to, limit, cursor } = request.query;
      return accessLog.page(readerOf(request), {
        limit,
        ...(pupilId === undefined ? {} : { pupilId }),
        ...(actor === undefined ? {} : { actor }),
        ...(from === undefined ? {} : { from: new Date(from) }),
        ...(to === undefined ? {} : { to: new Date(to) }),
        ...(cursor === undefined ? {} : { cursor }),
      });
    },
  );
}
