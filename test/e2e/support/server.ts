import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, loadConfig, mintDevToken, type Principal } from '@small-steps/api';
import { openStorage } from '@small-steps/application';
import { createPostgresTestDatabase, postgresServer } from '@small-steps/event-store/testing';
import { type ApiClient, apiClient } from './api-client.ts';

export type Database = 'pglite' | 'postgres';

/** The databases a journey runs on: embedded PGlite always, PostgreSQL when one is reachable. */
export async function e2eDatabases(): Promise<Database[]> {
  const server = await postgresServer();
  return server.adminUrl === null ? ['pglite'] : ['pglite', 'postgres'];
}

export interface RunningServer {
  baseUrl: string;
  /** A client calling the server as this principal, with a development token. */
  as(principal: Principal): Promise<ApiClient>;
  close(): Promise<void>;
}

/**
 * The service as `main.ts` runs it: configuration, the store with its migrations, the app, and a
 * real listening socket on a free port. PGlite gets a data folder of its own, PostgreSQL a database.
 */
export async function startServer(database: Database): Promise<RunningServer> {
  const folder = await mkdtemp(join(tmpdir(), 'small-steps-e2e-'));
  const postgres = database === 'postgres' ? await createPostgresTestDatabase() : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: folder,
    ...(postgres ? { DATABASE_URL: postgres.url, DATABASE_POOL_SIZE: '5' } : {}),
  });
  const storage = await openStorage(config.database);
  const app = await buildApp({ config, storage });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const { secret, issuer, audience } = config.auth;
  return {
    baseUrl,
    as: async (principal) => apiClient(baseUrl, await mintDevToken(principal, { secret: secret!, issuer, audience })),
    async close() {
      await app.close();
      await storage.close();
      await postgres?.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
