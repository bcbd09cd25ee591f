import { AccessReasonHeaders } from '@small-steps/contracts';
import type { Reader } from '@small-steps/projections';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../plugins/problems.ts';

const reasonHeader = AccessReasonHeaders.shape['x-access-reason'];

/**
 * The caller as the reads take them: the principal, the route's pattern (never the URL, whose values
 * name records) and the reason they sent in `X-Access-Reason`, so that the reads record who read what.
 * Read routes declare the header in their schema; it is checked here as well, so that a route that
 * forgets cannot store an unbounded reason.
 */
export function readerOf(request: FastifyRequest): Reader {
  const parsed = reasonHeader.safeParse(request.headers['x-access-reason']);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new HttpProblem('validation', `The X-Access-Reason header ${detail}.`, {
      errors: [{ pointer: '/headers/x-access-reason', detail, code: 'invalid' }],
    });
  }
  const route = request.routeOptions.url ?? 'unknown';
  return { ...request.principal, access: { route, ...(parsed.data === undefined ? {} : { reason: parsed.data }) } };
}
