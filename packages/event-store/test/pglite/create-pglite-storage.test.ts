import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/migrations/migrate.ts';
import { createPGliteStorage } from '../../src/pglite/create-pglite-storage.ts';
import { lockDataDir } from '../../src/pglite/data-dir-lock.ts';
import { openExistingDataFolder } from '../../src/pglite/pglite-folder.ts';
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

describe('opening a data folder before the configuration is read', () => {
  const root = mkdtempSync(join(tmpdir(), 'ss-pglite-early-'));
  const configured = join(root, 'configured');
  const other = join(root, 'other');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('opens only a folder that holds a database, and is used when it is the configured folder', async () => {
    expect(openExistingDataFolder(configured)).toBeNull();
    await (await createPGliteStorage({ dataDir: configured })).close();

    const opening = openExistingDataFolder(configured);
    expect(opening?.dataDir).toBe(resolve(configured));
    // A second opener in this process finds the folder taken, and leaves it to the ordinary open.
    expect(openExistingDataFolder(configured)).toBeNull();
    const storage = await createPGliteStorage({ dataDir: configured, opening });
    try {
      expect(await storage.store.isReady()).toBe(true);
      expect(opening?.database.closed).toBe(false);
    } finally {
      await storage.close();
    }
    expect(opening?.database.closed).toBe(true);
  }, 60_000);

  it('closes and lets go of a folder that is not the configured one', async () => {
    await (await createPGliteStorage({ dataDir: other })).close();
    const opening = openExistingDataFolder(other);
    const storage = await createPGliteStorage({ dataDir: configured, opening });
    try {
      expect(opening?.database.closed).toBe(true);
      expect(await storage.store.isReady()).toBe(true);
      const lock = lockDataDir(other);
      lock.release();
    } finally {
      await storage.close();
    }
  }, 60_000);
});
