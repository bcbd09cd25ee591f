import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { HttpProblem } from './problems.ts';

/** Limits requests per caller (their token's subject, else their address); 429 with Retry-After. */
export async function rateLimitPlugin(app: FastifyInstance, limits: Config['limits']): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: limits.requestsPerMinute,
    timeWindow: '1 minute',
    hook: 'preHandler',
    keyGenerator: (request) => (request.principal ? `${request.principal.tenant}:${request.principal.id}` : request.ip),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        'rate-limited',
        `At most ${context.max} requests a minute; try again in ${Math.ceil(context.ttl / 1000)} s.`,
        {
          headers: { 'retry-after': String(Math.ceil(context.ttl / 1000)) },
        },
      ),
  });
}
