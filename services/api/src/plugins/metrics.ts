import { createHash, timingSafeEqual } from 'node:crypto';
import { type CommandReport, onCommandReport } from '@small-steps/application';
import { PROJECTION_GAUGES, type ProjectionWorker } from '@small-steps/projections';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { IdentifyCaller } from './auth.ts';
import { HttpProblem } from './problems.ts';

export interface MetricsOptions {
  /** METRICS_TOKEN: a scraper's bearer token; without it only admin tokens are accepted. */
  token: string | undefined;
  identifyCaller: IdentifyCaller;
  /** The projections this process runs (the embedded default), whose lag is reported beside the rest. */
  projections: ProjectionWorker | undefined;
}

/**
 * Prometheus metrics at `/metrics`, for a scraper holding METRICS_TOKEN or an admin: process
 * figures, request durations by route, and the product's own figures (events appended by type,
 * command outcomes, refusals by rule, conflicts, retries, idempotent replays, register rows
 * ingested, and projection lag where this process runs them).
 */
export async function metricsPlugin(app: FastifyInstance, options: MetricsOptions): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids in paths would explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  const count = countCommands(registry);
  app.addHook('onClose', async () => count.stop());
  const { projections } = options;
  for (const { name, help, value } of projections ? PROJECTION_GAUGES : []) {
    new Gauge({
      name,
      help,
      labelNames: ['projection'] as const,
      registers: [registry],
      collect() {
        for (const runner of projections?.status() ?? []) this.set({ projection: runner.name }, value(runner));
      },
    });
  }

  const mayScrape = scrapeCheck(options);
  // Public to the token check of every other route: this one also takes the scraper's own token.
  app.get('/metrics', { schema: { hide: true }, config: { public: true } }, async (request, reply) => {
    await mayScrape(request);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

/** Counts what the application reports about its commands. Labels are event types, outcomes and rule ids: a closed set. */
function countCommands(registry: Registry): { stop(): void } {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const appended = counter('small_steps_events_appended_total', 'Events appended to the log, by type.', ['type']);
  const finished = counter('small_steps_commands_total', 'Commands carried out or refused, by outcome.', ['outcome']);
  const rejections = counter(
    'small_steps_command_rejections_total',
    'Commands a domain rule refused, by rule id (docs/domain.md).',
    ['rule'],
  );
  const conflicts = counter('small_steps_command_conflicts_total', 'Commands answered 409 or 412, by kind.', [
    'conflict',
  ]);
  const retries = counter(
    'small_steps_command_retries_total',
    'Attempts made again after losing a race to another writer.',
  );
  const replays = counter(
    'small_steps_idempotent_replays_total',
    'Requests answered with the earlier answer to the same Idempotency-Key.',
  );
  const marks = counter('small_steps_attendance_marks_ingested_total', 'Register rows in uploads carried out.');
  const stop = onCommandReport((message: CommandReport) => {
    switch (message.kind) {
      case 'appended':
        for (const type of message.types) appended.inc({ type });
        return;
      case 'retried':
        retries.inc();
        return;
      case 'marks-ingested':
        marks.inc(message.rows);
        return;
      case 'finished': {
        const { result } = message;
        finished.inc({ outcome: result.outcome });
        if (result.outcome === 'rejected') rejections.inc({ rule: result.rule });
        if (result.outcome === 'conflict') conflicts.inc({ conflict: result.conflict });
        if (result.outcome === 'replayed') replays.inc();
        return;
      }
    }
  });
  return { stop };
}

/** Lets in the scraper's token (compared in constant time) or an admin's; anything else is 401 or 403. */
function scrapeCheck({ token, identifyCaller }: MetricsOptions): (request: FastifyRequest) => Promise<void> {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return async (request) => {
    const header = request.headers.authorization;
    if (expected && header !== undefined && timingSafeEqual(digest(header), expected)) return;
    const principal = await identifyCaller(request);
    if (!principal) throw new HttpProblem('unauthenticated', 'Send an Authorization header: Bearer <token>.');
    if (principal.role !== 'admin') {
      throw new HttpProblem(
        'forbidden',
        `The ${principal.role} role may not do this; allowed: admin, or METRICS_TOKEN.`,
      );
    }
  };
}
