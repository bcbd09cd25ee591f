import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/migrations/migrate.ts';
import { createPGliteStorage } from '../../src/pglite/create-pglite-storage.ts';
import { testEvent } from '../../src/testing/index.ts';

describe('createPGliteStorage on a data folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'ss-pglite-'));
  const dataDir = join(root, 'pglite');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second opener, reports pending migrations, and keeps events across a reopen', async () => {
    const first = await createPGliteStorage({ dataDir, migrate: false });
    try {
      await expect(createPGliteStorage({ dataDir })).rejects.toThrow(
        `The PGlite data folder ${resolve(dataDir)} is in use by process ${process.pid}`,
      );
      expect(await first.store.isReady()).toBe(false);
      await migrateToLatest(first.db);
      expect(await first.store.isReady()).toBe(true);
      await first.store.append('kept', [testEvent('00000000-0000-4000-8000-00000000000a')], {
        expectedVersion: 'no_stream',
      });
    } finally {
      await first.close();
    }

    const reopened = await createPGliteStorage({ dataDir });
    try {
      expect(await reopened.store.isReady()).toBe(true);
      expect(await reopened.store.streamVersion('kept')).toBe(1);
      expect(await reopened.store.verifyStream('kept')).toMatchObject({ ok: true, eventsChecked: 1 });
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
