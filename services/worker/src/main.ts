import { createApplication, loadAuditSigner, openStorage, openVault } from '@small-steps/application';
import { ProjectionWorker } from '@small-steps/projections';
import pino from 'pino';
import { loadWorkerConfig, WorkerConfigError } from './config.ts';
import { healthServer } from './health-server.ts';

/**
 * The projection worker: runs the projections kept from the log, alone, with its read models in
 * PostgreSQL; the log is there too, or in KurrentDB (EVENT_STORE=kurrentdb).
 */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const log = pino({ level: config.logLevel, base: { service: 'small-steps-worker' } });
  const storage = await openStorage(config.database);
  const vault = openVault(storage.db, config.masterKey);
  const auditSigner = loadAuditSigner(config.auditSigningKey);
  const application = createApplication({
    storage,
    tenantSettings: config.tenantSettings,
    vault,
    auditSigner,
    auditCheckpoints: config.auditCheckpoints,
  });
  const { workerProjections } = application;
  const worker = new ProjectionWorker({
    // The application's store: projections read events with their personal parts opened.
    storage: { ...storage, store: application.store },
    projections: workerProjections,
    log,
    batchSize: config.batchSize,
  });
  // Caseload alerts that fall due as days pass: judged at start and then daily.
  const schedule = application.caseloadAlertSchedule(log);
  // Audit heads that no later event came to sign: signed within AUDIT_CHECKPOINT_SECONDS.
  const checkpoints = application.auditCheckpointSchedule(log);
  const server = healthServer(worker, () => storage.store.isReady());
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'worker shutting down');
    server.close();
    await checkpoints?.stop();
    await schedule.stop();
    await worker.stop();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
  worker.start();
  schedule.start();
  checkpoints?.start();
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  log.info({ projections: workerProjections.map((p) => p.name), port }, 'worker running');
  process.stdout.write(
    `Small Steps worker: health and metrics on http://${config.host}:${port}/health/ready\n` +
      `Audit checkpoints are signed with key ${auditSigner.keyId}:\n${auditSigner.publicKeyPem}`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof WorkerConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`Small Steps worker failed to start: ${message}\n`);
  process.exit(1);
});
