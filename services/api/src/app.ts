import { type Application, createApplication, type PersonalDataVault } from '@small-steps/application';
import type { SqlStorage, TreeHeadSigner } from '@small-steps/event-store';
import type { SignedStreamHeads } from '@small-steps/projections';
import { ProjectionWorker } from '@small-steps/projections';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import { loggerOptions, RequestLogController } from './logging.ts';
import { authPlugin, callerIdentifier } from './plugins/auth.ts';
import { gracefulClosePlugin } from './plugins/graceful-close.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { answerClientError, answerFrameworkError, MAX_PARAM_LENGTH, problemsPlugin } from './plugins/problems.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { strictQueryPlugin } from './plugins/strict-query.ts';
import { caseloadAlertRoutes } from './routes/alerts/caseload-alert-routes.ts';
import { analyticsRoutes } from './routes/analytics/analytics-routes.ts';
import { attendanceRoutes } from './routes/attendance/attendance-routes.ts';
import { accessLogRoutes } from './routes/audit/access-log-routes.ts';
import { checkpointRoutes } from './routes/audit/checkpoint-routes.ts';
import { verifyRoutes } from './routes/audit/verify-routes.ts';
import { feedRoutes } from './routes/feed/feed-routes.ts';
import { healthRoutes } from './routes/health/health-routes.ts';
import { planRoutes } from './routes/plans/plan-routes.ts';
import { pupilRoutes } from './routes/pupils/pupil-routes.ts';

export interface AppDependencies {
  config: Config;
  /** The event store and the database beside it (read models, idempotency records). */
  storage: Pick<SqlStorage, 'store' | 'db'> & Partial<Pick<SqlStorage, 'leases'>>;
  /** Where log lines go (stdout when absent); tests capture them to check redaction. */
  logStream?: DestinationStream;
  /** What time it is for decisions that depend on today (default: the system clock); tests fix it. */
  clock?: () => Date;
  /** Seals personal data at rest (from the configured master key); main.ts and tests give one. */
  vault?: PersonalDataVault;
  /** The latest signed checkpoint's head of each stream: verification compares each stream against it. */
  signedHeads?: SignedStreamHeads;
  /** Signs the audit checkpoints (from the configured key); without one no audit tree is kept. */
  auditSigner?: TreeHeadSigner;
}

/** Builds the HTTP app from its dependencies. It never listens: main.ts and tests do. */
export async function buildApp({
  config,
  storage,
  logStream,
  clock,
  vault,
  signedHeads,
  auditSigner,
}: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), ...(logStream ? { stream: logStream } : {}) },
    logController: new RequestLogController(),
    bodyLimit: config.limits.bodyBytes,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // While closing, a request on a connection still open is answered, not refused (gracefulClosePlugin).
    return503OnClosing: false,
    // Errors met before a route is (a path parameter over maxParamLength, an undecodable URL, broken
    // HTTP) are problems too, not Fastify's default JSON.
    frameworkErrors: (error, request, reply) => {
      answerFrameworkError(error, request, reply).catch((err: unknown) => request.log.error({ err }, 'request failed'));
    },
    clientErrorHandler: answerClientError,
  });
  app.setValidatorCompiler(validatorCompiler);
  // Checking responses against their schemas catches contract drift in development and tests;
  // production serialises without it (see CHECK_RESPONSES).
  app.setSerializerCompiler(config.checkResponses ? serializerCompiler : () => (data) => JSON.stringify(data));
  // A JSON API: a text/plain body would otherwise reach validation as a string and get a vague 400.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Cross-cutting concerns apply to the root instance, so every route below gets them.
  await problemsPlugin(app);
  await openapiPlugin(app);
  const identifyCaller = callerIdentifier(config.auth);
  // The limiter's hook comes first, so that it counts requests authentication or validation refuses.
  await rateLimitPlugin(app, config.limits, identifyCaller);
  await authPlugin(app, identifyCaller);
  await gracefulClosePlugin(app);
  await strictQueryPlugin(app);

  const application = createApplication({
    storage,
    tenantSettings: config.tenantSettings,
    ...(clock ? { clock } : {}),
    ...(vault ? { vault } : {}),
    ...(signedHeads ? { signedHeads } : {}),
    ...(auditSigner ? { auditSigner } : {}),
    auditCheckpoints: config.auditCheckpoints,
  });
  const services = { ...application, config };
  const { leases } = storage;
  const projections =
    config.runProjections && leases ? projectionWorker(app, application, { ...storage, leases }) : undefined;
  await metricsPlugin(app, { token: config.metricsToken, identifyCaller, projections });
  await app.register(async (scope) => healthRoutes(scope, storage.store, projections));
  await app.register(async (scope) => pupilRoutes(scope, services));
  await app.register(async (scope) => planRoutes(scope, services));
  await app.register(async (scope) => attendanceRoutes(scope, services));
  await app.register(async (scope) => feedRoutes(scope, services));
  await app.register(async (scope) => analyticsRoutes(scope, services));
  await app.register(async (scope) => verifyRoutes(scope, services));
  await app.register(async (scope) => accessLogRoutes(scope, services));
  await app.register(async (scope) => caseloadAlertRoutes(scope, services));
  await app.register(async (scope) => checkpointRoutes(scope, services));
  return app;
}

/**
 * The projections kept from the log, run in this process (the embedded default, where no separate
 * worker can open the database): started once the app is ready, stopped when it closes.
 */
function projectionWorker(
  app: FastifyInstance,
  application: Application,
  storage: Pick<SqlStorage, 'store' | 'db' | 'leases'>,
): ProjectionWorker {
  // The application's store: projections read events with their personal parts opened.
  const worker = new ProjectionWorker({
    storage: { ...storage, store: application.store },
    projections: application.workerProjections,
    log: app.log,
  });
  // Caseload alerts that fall due as days pass: judged at start and then daily, beside the projections.
  const schedule = application.caseloadAlertSchedule(app.log);
  // Audit heads that no later event came to sign: signed within AUDIT_CHECKPOINT_SECONDS.
  const checkpoints = application.auditCheckpointSchedule(app.log);
  app.addHook('onReady', async () => {
    worker.start();
    schedule.start();
    checkpoints?.start();
  });
  app.addHook('onClose', async () => {
    await checkpoints?.stop();
    await schedule.stop();
    await worker.stop();
  });
  return worker;
}
