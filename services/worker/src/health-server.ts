import { createServer, type Server } from 'node:http';
import { describeRunner, type ProjectionWorker } from '@small-steps/projections';
import { Gauge, Registry } from 'prom-client';

/**
 * The worker's own small HTTP server: liveness, readiness (each projection's state, 503 when one
 * has stopped on a failing event or the database is away) and Prometheus metrics (lag in events and
 * seconds per projection).
 */
export function healthServer(worker: ProjectionWorker, isDatabaseReady: () => Promise<boolean>): Server {
  const registry = new Registry();
  const labelNames = ['projection'] as const;
  const lagEvents = new Gauge({
    name: 'small_steps_projection_lag_events',
    help: 'Events in the log not yet applied by the projection.',
    labelNames,
    registers: [registry],
  });
  const lagSeconds = new Gauge({
    name: 'small_steps_projection_lag_seconds',
    help: 'Seconds since the oldest event not yet applied was recorded.',
    labelNames,
    registers: [registry],
  });
  const failed = new Gauge({
    name: 'small_steps_projection_failed',
    help: '1 when the projection stopped on an event its handler failed on.',
    labelNames,
    registers: [registry],
  });
  const json = (status: number, body: unknown) => ({ status, type: 'application/json', text: JSON.stringify(body) });
  const answer = async (url: string) => {
    if (url === '/health/live') return json(200, { status: 'ok' });
    if (url === '/health/ready') {
      const database = await isDatabaseReady().catch(() => false);
      const checks: Record<string, string> = { database: database ? 'ok' : 'unreachable or migrations pending' };
      for (const runner of worker.status()) checks[`projection ${runner.name}`] = describeRunner(runner);
      const isReady = database && worker.isHealthy();
      return json(isReady ? 200 : 503, { status: isReady ? 'ok' : 'unavailable', checks });
    }
    if (url === '/metrics') {
      for (const runner of worker.status()) {
        lagEvents.set({ projection: runner.name }, runner.lagEvents);
        lagSeconds.set({ projection: runner.name }, runner.lagSeconds);
        failed.set({ projection: runner.name }, runner.state === 'failed' ? 1 : 0);
      }
      return { status: 200, type: registry.contentType, text: await registry.metrics() };
    }
    return json(404, { status: 'not found' });
  };
  return createServer((request, response) => {
    answer((request.url ?? '').split('?')[0] ?? '').then(
      ({ status, type, text }) => response.writeHead(status, { 'content-type': type }).end(text),
      () => response.writeHead(500).end(),
    );
  });
}
