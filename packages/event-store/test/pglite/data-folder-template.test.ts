import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationSet } from '../../src/migrations/migrate.ts';
import { createPGliteStorage } from '../../src/pglite/create-pglite-storage.ts';
import { writeDataFolderTemplate } from '../../src/pglite/data-folder-template.ts';
import { testEvent } from '../../src/testing/index.ts';

const noted: Migration = {
  async up(db) {
    await sql`create table folder_template_note (id integer primary key)`.execute(db);
    await sql`insert into folder_template_note values (7)`.execute(db);
  },
};
const withNote: MigrationSet[] = [{ name: 'folder_template', migrations: { '0001-note': noted } }];

describe('a new data folder from the migrated template', () => {
  const root = mkdtempSync(join(tmpdir(), 'ss-folder-template-'));
  const templateDir = join(root, 'template');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeAll(async () => {
    await writeDataFolderTemplate(templateDir, withNote);
  }, 120_000);

  it('starts as a copy of the template, already migrated, and keeps what is written across a reopen', async () => {
    const dataDir = join(root, 'copied');
    const first = await createPGliteStorage({ dataDir, templateDir, extraMigrations: withNote });
    try {
      expect(await first.store.isReady()).toBe(true);
      // The row the migration inserted when the template was made, not a migration run here.
      const { rows } = await sql<{ id: number }>`select id from folder_template_note`.execute(first.db);
      expect(rows).toEqual([{ id: 7 }]);
      await first.store.append('kept', [testEvent('00000000-0000-4000-8000-00000000000b')], {
        expectedVersion: 'no_stream',
      });
    } finally {
      await first.close();
    }
    const reopened = await createPGliteStorage({ dataDir, templateDir, extraMigrations: withNote });
    try {
      expect(await reopened.store.streamVersion('kept')).toBe(1);
      expect(await reopened.store.verifyStream('kept')).toMatchObject({ ok: true, eventsChecked: 1 });
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it('is not used for other migrations: initdb makes the folder and the migrations run', async () => {
    const dataDir = join(root, 'initdb');
    const storage = await createPGliteStorage({ dataDir, templateDir, extraMigrations: [] });
    try {
      expect(await storage.store.isReady()).toBe(true);
      const { rows } = await sql<{
        name: string | null;
      }>`select to_regclass('folder_template_note')::text as name`.execute(storage.db);
      expect(rows).toEqual([{ name: null }]);
    } finally {
      await storage.close();
    }
  }, 120_000);

  it('keeps one template in its folder, and no half-made copy anywhere', () => {
    expect(readdirSync(templateDir)).toEqual([expect.stringMatching(/^pglite-[\d.]+-[0-9a-f]{16}$/)]);
    expect(readdirSync(root).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('copies into an empty folder left by an earlier start', async () => {
    const dataDir = join(root, 'empty');
    mkdirSync(dataDir);
    const storage = await createPGliteStorage({ dataDir, templateDir, extraMigrations: withNote });
    try {
      const { rows } = await sql<{ id: number }>`select id from folder_template_note`.execute(storage.db);
      expect(rows).toEqual([{ id: 7 }]);
    } finally {
      await storage.close();
    }
  }, 120_000);
});
