import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/migrations/migrate.ts';
import { createPGliteEventStore } from '../../src/pglite/create-pglite-event-store.ts';
import { testEvent } from '../../src/testing/index.ts';

describe('createPGliteEventStore on a data folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'ss-pglite-'));
  const dataDir = join(root, 'pglite');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second opener, reports pending migrations, and keeps events across a reopen', async () => {
    const first = await createPGliteEventStore({ dataDir, migrate: false });
    try {
      await expect(createPGliteEventStore({ dataDir })).rejects.toThrow(
        `The PGlite data folder ${resolve(dataDir)} is in use by process ${process.pid}`,
      );
      expect(await first.isReady()).toBe(false);
      await migrateToLatest(first.db);
      expect(await first.isReady()).toBe(true);
      await first.append('kept', [testEvent('00000000-0000-4000-8000-00000000000a')], { expectedVersion: 'no_stream' });
    } finally {
      await first.close();
    }

    const reopened = await createPGliteEventStore({ dataDir });
    try {
      expect(await reopened.isReady()).toBe(true);
      expect(await reopened.streamVersion('kept')).toBe(1);
      expect(await reopened.verifyStream('kept')).toMatchObject({ ok: true, eventsChecked: 1 });
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
