import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type Config, loadConfig, mintDevToken } from '@small-steps/api';
import { openStorage, openVault } from '@small-steps/application';
import type { SqlStorage } from '@small-steps/event-store';
import { laSystem } from '../e2e/support/plan-people.ts';
import { scratchDatabase } from './scratch-database.ts';

export type BenchStore = 'pglite' | 'postgres';

/** The stores a suite measures: both, or those `BENCH_STORES` names (e.g. `postgres`, for profiling). */
export const benchStores = (): BenchStore[] => {
  const asked = (process.env.BENCH_STORES ?? 'pglite,postgres').split(',');
  return (['pglite', 'postgres'] as const).filter((kind) => asked.includes(kind));
};

/** The service listening on a port of its own, on a fresh data folder or scratch database. */
export interface BenchServer {
  config: Config;
  storage: SqlStorage;
  app: Awaited<ReturnType<typeof buildApp>>;
  baseUrl: string;
  /** A bearer token of the LA's case-management system. */
  token: string;
  close(): Promise<void>;
}

/**
 * Starts the service as production runs it (responses not checked against their schemas, no rate
 * limit in the way of the load), with `env` on top; `sealed` gives it a master key and a vault, so
 * personal fields are sealed and opened as in production.
 */
export async function startBenchServer(
  kind: BenchStore,
  connectionString: string,
  { env = {}, sealed = false }: { env?: Record<string, string>; sealed?: boolean } = {},
): Promise<BenchServer> {
  const folder = await mkdtemp(join(tmpdir(), 'small-steps-bench-'));
  const database = kind === 'postgres' ? await scratchDatabase(connectionString) : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: folder,
    RATE_LIMIT_PER_MINUTE: '100000000',
    CHECK_RESPONSES: 'false',
    ...(sealed ? { MASTER_KEY: Buffer.alloc(32, 5).toString('base64') } : {}),
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const storage = await openStorage(config.database);
  const app = await buildApp({
    config,
    storage,
    ...(sealed ? { vault: openVault(storage.db, config.masterKey) } : {}),
  });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const { secret, issuer, audience } = config.auth;
  const token = await mintDevToken(laSystem, { secret: secret!, issuer, audience });
  return {
    config,
    storage,
    app,
    baseUrl,
    token,
    async close() {
      await app.close();
      await storage.close();
      await database?.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
