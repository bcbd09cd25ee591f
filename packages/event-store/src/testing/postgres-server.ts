/** A PostgreSQL server tests may create databases on, or why there is none. */
export type PostgresServer =
  | { adminUrl: string; source: 'env' | 'testcontainers' }
  | { adminUrl: null; reason: string };

let server: Promise<PostgresServer> | undefined;

/**
 * `TEST_DATABASE_URL` or `DATABASE_URL` when set; otherwise a testcontainers PostgreSQL, which
 * fails within a couple of seconds when there is no container runtime. Found once per process.
 */
export function postgresServer(): Promise<PostgresServer> {
  server ??= findServer();
  return server;
}

async function findServer(): Promise<PostgresServer> {
  // biome-ignore lint/style/noProcessEnv: test database discovery
  const fromEnv = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (fromEnv) return { adminUrl: fromEnv, source: 'env' };
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15-alpine').start();
    return { adminUrl: container.getConnectionUri(), source: 'testcontainers' };
  } catch (error) {
    const reason =
      'no TEST_DATABASE_URL or DATABASE_URL, and testcontainers could not start PostgreSQL ' +
      `(${error instanceof Error ? error.message : String(error)})`;
    console.warn(`PostgreSQL tests SKIPPED: ${reason}`);
    return { adminUrl: null, reason };
  }
}
