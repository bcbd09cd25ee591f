import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPostgresTestDatabase, postgresServer } from '@small-steps/event-store/testing';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const server = await postgresServer();

describe.skipIf(server.adminUrl === null)('the worker with its log in KurrentDB', () => {
  it('refuses to start, in one line without the credentials, when KurrentDB does not answer', async () => {
    const database = (await createPostgresTestDatabase())!;
    try {
      const started = run(process.execPath, ['--conditions=development', MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: database.url,
          EVENT_STORE: 'kurrentdb',
          KURRENTDB_URL: 'kurrentdb://admin:changeit@127.0.0.1:1?tls=false',
          WORKER_PORT: '0',
          LOG_LEVEL: 'warn',
        },
      });
      const failed = (await started.then(
        () => null,
        (error: unknown) => error,
      )) as { code: number; stderr: string } | null;
      expect(failed).toMatchObject({
        code: 1,
        stderr:
          'Small Steps worker failed to start: KurrentDB at 127.0.0.1:1 cannot be reached (KURRENTDB_URL): start it, or check the address and credentials.\n',
      });
    } finally {
      await database.drop();
    }
  });
});
