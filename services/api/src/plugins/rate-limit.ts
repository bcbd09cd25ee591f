import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { IdentifyCaller } from './auth.ts';
import { HttpProblem } from './problems.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts a request against its caller's limit; throws the 429 problem beyond it. */
    countRequest(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/**
 * Limits requests per caller: the subject of a valid bearer token, else the address (an IPv6
 * address by its /64). Every request counts, valid or not, authenticated or not: the limiter runs
 * first in onRequest, before authentication, parsing and validation can refuse it, so that a flood
 * of bad requests is slowed like any other. Beyond the limit: 429 with Retry-After.
 */
export async function rateLimitPlugin(
  app: FastifyInstance,
  limits: Config['limits'],
  identifyCaller: IdentifyCaller,
): Promise<void> {
  await app.register(rateLimit, {
    // No per-route hooks: those would run after the application's onRequest hooks (authentication).
    global: false,
    max: limits.requestsPerMinute,
    timeWindow: '1 minute',
    keyGenerator: async (request) => {
      // A token that does not verify counts against the address it came from, not a key of its own.
      const principal = await identifyCaller(request).catch(() => null);
      return principal ? `caller:${principal.tenant}:${principal.id}` : `address:${normalizeIP(request.ip)}`;
    },
  });
  const limit = app.createRateLimit();

  const countRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const counted = await limit(request);
    if (counted.isAllowed) return;
    reply.header('x-ratelimit-limit', counted.max);
    reply.header('x-ratelimit-remaining', counted.remaining);
    reply.header('x-ratelimit-reset', counted.ttlInSeconds);
    if (!counted.isExceeded) return;
    const wait = Math.max(1, counted.ttlInSeconds);
    throw new HttpProblem('rate-limited', `At most ${counted.max} requests a minute; try again in ${wait} s.`, {
      headers: { 'retry-after': String(wait) },
    });
  };
  // Also for what the router refuses before any hook runs (answerFrameworkError).
  app.decorate('countRequest', countRequest);
  app.addHook('onRequest', countRequest);
}
