import type { EventStore } from '@small-steps/event-store';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z
  .object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() })
  .meta({ id: 'Health' });

/** Liveness (the process answers) and readiness (database reachable, migrations applied). */
export async function healthRoutes(app: FastifyInstance, store: EventStore): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/health/live',
    { config: { public: true }, schema: { tags: ['health'], response: { 200: Health } } },
    async () => ({
      status: 'ok' as const,
    }),
  );
  api.get(
    '/health/ready',
    { config: { public: true }, schema: { tags: ['health'], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const ready = await store.isReady().catch(() => false);
      const body = {
        status: ready ? ('ok' as const) : ('unavailable' as const),
        checks: { database: ready ? 'ok' : 'unreachable or migrations pending' },
      };
      return reply.code(ready ? 200 : 503).send(body);
    },
  );
}
