import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { type MigrationSet, migrateToLatest } from '../migrations/migrate.ts';
import { PGLITE_START_PARAMS } from './pglite-options.ts';
import { INITDB_ARGS } from './pglite-template.ts';
import { migrationSources, templateFileName } from './template-key.ts';

/**
 * Writes into `templateDir` a data folder made by initdb and migrated with `extraMigrations`, for
 * {@link createPGliteStorage} to copy into a new data folder: initdb and the migrations in WASM take
 * several seconds, copying the result a fraction of one. The template is a data folder like any
 * other, made on disk and shut down cleanly, so a copy opens as an existing folder does. Run at
 * build time; other templates in the folder are removed. Returns the template's path.
 */
export async function writeDataFolderTemplate(
  templateDir: string,
  extraMigrations: readonly MigrationSet[],
): Promise<string> {
  const path = dataFolderTemplatePath(templateDir, extraMigrations);
  const building = `${path}.${randomBytes(4).toString('hex')}.partial`;
  mkdirSync(templateDir, { recursive: true });
  try {
    // initdb's 16MB WAL segment would be most of what each new folder copies: 1MB segments instead.
    const pglite = await PGlite.create(building, { initDbStartParams: INITDB_ARGS, startParams: PGLITE_START_PARAMS });
    try {
      await migrateToLatest(new Kysely({ dialect: new PGliteDialect({ pglite }) }), extraMigrations);
      // After a checkpoint and a clean shutdown, a copy opens without replaying WAL.
      await pglite.exec('checkpoint');
    } finally {
      await pglite.close();
    }
    rmSync(path, { recursive: true, force: true });
    renameSync(building, path);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  for (const name of readdirSync(templateDir)) {
    if (name.startsWith('pglite-') && join(templateDir, name) !== path)
      rmSync(join(templateDir, name), { recursive: true, force: true });
  }
  return path;
}

/**
 * Makes `dataDir` a copy of the template when it has no database yet and `templateDir` holds one
 * made by this PGlite version with these very migrations; returns whether it did (otherwise initdb
 * makes the folder). The copy is made beside the folder and renamed into place, so a start that is
 * killed mid-copy leaves no half a database behind.
 */
export function copyTemplateIntoNewFolder(
  dataDir: string,
  templateDir: string,
  extraMigrations: readonly MigrationSet[],
): boolean {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return false;
  const path = dataFolderTemplatePath(templateDir, extraMigrations);
  if (!existsSync(join(path, 'PG_VERSION'))) return false;
  const copying = `${dataDir}.${randomBytes(4).toString('hex')}.partial`;
  try {
    cpSync(path, copying, { recursive: true });
    // An empty folder (made by hand, or left by an earlier start) gives way to the copy.
    if (existsSync(dataDir)) rmdirSync(dataDir);
    renameSync(copying, dataDir);
  } finally {
    rmSync(copying, { recursive: true, force: true });
  }
  return true;
}

/**
 * Where {@link writeDataFolderTemplate} leaves the template for these migrations: named after the
 * PGlite version and each migration's source as this code has it.
 */
export function dataFolderTemplatePath(templateDir: string, extraMigrations: readonly MigrationSet[]): string {
  const name = templateFileName({
    dataFolder: true,
    initdb: INITDB_ARGS,
    migrations: migrationSources(extraMigrations),
  }).replace(/\.tar$/, '');
  return join(templateDir, name);
}
