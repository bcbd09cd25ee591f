import type { EventStore } from '@small-steps/event-store';
import { describeRunner, type ProjectionWorker } from '@small-steps/projections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']).meta({
      description:
        '`degraded`: the API serves, but a read model kept from the log stopped (its check says at which event and why).',
    }),
    checks: z.record(z.string().max(100), z.string().max(2000)).optional(),
  })
  .meta({
    id: 'Health',
    example: { status: 'ok', checks: { database: 'ok', 'projection observation_patterns': 'running, caught up' } },
  });

/**
 * Liveness (the process answers) and readiness (database reachable, migrations applied; and, where
 * this process runs the projections, how each is doing).
 */
export async function healthRoutes(
  app: FastifyInstance,
  store: EventStore,
  projections: ProjectionWorker | undefined,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/health/live',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        operationId: 'checkLiveness',
        summary: 'Is the process alive?',
        response: { 200: Health },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );
  api.get(
    '/health/ready',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        operationId: 'checkReadiness',
        summary: 'Can it serve: database reachable, migrations applied, projections running?',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const ready = await store.isReady().catch(() => false);
      const runners = projections?.status() ?? [];
      const checks: Record<string, string> = { database: ready ? 'ok' : 'unreachable or migrations pending' };
      for (const runner of runners) checks[`projection ${runner.name}`] = describeRunner(runner);
      const status = !ready ? 'unavailable' : projections?.isHealthy() === false ? 'degraded' : 'ok';
      return reply.code(ready ? 200 : 503).send({ status, checks });
    },
  );
}
