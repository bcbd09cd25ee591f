import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStoreUnreachable, openStorage, serverOf } from '../../src/storage.ts';

describe('opening the storage with the log in KurrentDB', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('refuses to start, in one line naming the server without its credentials, when KurrentDB does not answer', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'small-steps-kurrentdb-'));
    dirs.push(dataDir);
    const url = 'kurrentdb://admin:changeit@127.0.0.1:1?tls=false';
    const opening = openStorage({ kind: 'pglite', dataDir, kurrentdb: { url, namespace: 'smallsteps' } });
    await expect(opening).rejects.toThrow(EventStoreUnreachable);
    const error = (await opening.catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'KurrentDB at 127.0.0.1:1 cannot be reached (KURRENTDB_URL): start it, or check the address and credentials.',
    );
    expect(error.message).not.toContain('changeit');
    // The read models' database was closed again: another open of the same folder succeeds.
    const again = await openStorage({ kind: 'pglite', dataDir });
    expect(again.store.kind).toBe('pglite');
    await again.close();
  });

  it('names the hosts of a connection string, never its credentials or options', () => {
    expect(serverOf('kurrentdb://admin:changeit@kdb:2113?tls=false')).toBe('kdb:2113');
    expect(serverOf('kurrentdb+discover://a:2113,b:2113')).toBe('a:2113,b:2113');
    expect(serverOf('not a url')).toBe('the address given');
  });
});
