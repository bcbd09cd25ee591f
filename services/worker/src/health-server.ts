import { createServer, type Server } from 'node:http';
import { describeRunner, type ProjectionWorker } from '@small-steps/projections';
import { Registry } from 'prom-client';
import { registerProjectionLag } from './lag-gauges.ts';

/**
 * The worker's own small HTTP server: liveness, readiness (each projection's state, 503 when one
 * has stopped on a failing event or the database is away) and Prometheus metrics (lag in events and
 * seconds per projection).
 */
export function healthServer(worker: ProjectionWorker, isDatabaseReady: () => Promise<boolean>): Server {
  const registry = new Registry();
  registerProjectionLag(registry, () => worker.status());
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
