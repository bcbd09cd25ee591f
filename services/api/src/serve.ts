import { loadAuditSigner, openStorage, openVault } from '@small-steps/application';
import type { OpeningFolder, TreeHeadSigner } from '@small-steps/event-store';
import { buildApp } from './app.ts';
import { demoPrincipals, mintDevToken } from './auth/dev-tokens.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';

async function printWelcome(config: Config, url: string, auditSigner: TreeHeadSigner): Promise<void> {
  const lines = [`Small Steps is listening on ${url}`, `API docs: ${url}/docs   OpenAPI: ${url}/openapi.json`];
  lines.push(`Audit checkpoints are signed with key ${auditSigner.keyId}:`, auditSigner.publicKeyPem.trim());
  lines.push(
    config.database.kind === 'pglite'
      ? `Store: embedded PGlite in ${config.database.dataDir} (evaluation only; production runs on PostgreSQL)`
      : 'Store: PostgreSQL',
  );
  if (config.env !== 'production' && config.auth.secret) {
    lines.push('Development tokens (LA 801), send as "Authorization: Bearer <token>":');
    for (const principal of demoPrincipals) {
      const token = await mintDevToken(principal, {
        secret: config.auth.secret,
        issuer: config.auth.issuer,
        audience: config.auth.audience,
      });
      lines.push(`  ${principal.role.padEnd(13)} ${token}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * How long a close waits for requests in flight before closing their connections under them: within
 * the 10 s `docker stop` gives before SIGKILL (Kubernetes gives 30 s).
 */
const CLOSE_GRACE_MS = 8_000;

/**
 * Starts the service as the environment configures it, on the data folder main.ts began opening
 * when that is the configured one.
 */
export async function serve(opening: OpeningFolder | null): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const storage = await openStorage(config.database, { opening });
  if (storage.store.kind === 'kurrentdb') {
    await storage.close();
    throw new Error(
      'EVENT_STORE=kurrentdb: KurrentDB answers, but the API cannot run its commands on it yet (they write their read models with their events; see docs/architecture.md, "KurrentDB"). Run the worker on it, or use PostgreSQL.',
    );
  }
  const vault = openVault(storage.db, config.masterKey);
  const auditSigner = loadAuditSigner(config.auditSigningKey);
  const app = await buildApp({ config, storage, vault, auditSigner });
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // app.close() stops accepting, closes idle connections, answers the requests in flight with
    // Connection: close (gracefulClosePlugin) and resolves once their connections have closed.
    const deadline = setTimeout(() => {
      app.log.warn({ afterMs: CLOSE_GRACE_MS }, 'closing connections still busy');
      app.server.closeAllConnections();
    }, CLOSE_GRACE_MS);
    deadline.unref();
    await app.close();
    clearTimeout(deadline);
    await storage.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
  const url = await app.listen({ host: config.host, port: config.port });
  await printWelcome(config, url, auditSigner);
}
