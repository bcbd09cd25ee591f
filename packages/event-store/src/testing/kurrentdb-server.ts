/** A KurrentDB server tests may write to, or why there is none. */
export type KurrentDbServer =
  | { connectionString: string; source: 'env' | 'testcontainers' }
  | { connectionString: null; reason: string };

/** The image tests start: `appendMany` is a multi-stream append, which needs KurrentDB 25.1 or later. */
export const KURRENTDB_TEST_IMAGE = 'kurrentplatform/kurrentdb:26.1.1';

let server: Promise<KurrentDbServer> | undefined;

/**
 * `KURRENTDB_URL` when set; otherwise a testcontainers KurrentDB, which fails within a couple of
 * seconds when there is no container runtime. Found once per process.
 */
export function kurrentDbServer(): Promise<KurrentDbServer> {
  server ??= findServer();
  return server;
}

async function findServer(): Promise<KurrentDbServer> {
  // biome-ignore lint/style/noProcessEnv: test server discovery
  const fromEnv = process.env.KURRENTDB_URL;
  if (fromEnv) return { connectionString: fromEnv, source: 'env' };
  try {
    const { KurrentDbContainer } = await import('@testcontainers/kurrentdb');
    const container = await new KurrentDbContainer(KURRENTDB_TEST_IMAGE).start();
    return { connectionString: container.getConnectionString(), source: 'testcontainers' };
  } catch (error) {
    const reason =
      'no KURRENTDB_URL, and testcontainers could not start KurrentDB ' +
      `(${error instanceof Error ? error.message : String(error)})`;
    console.warn(`KurrentDB tests SKIPPED: ${reason}`);
    return { connectionString: null, reason };
  }
}
