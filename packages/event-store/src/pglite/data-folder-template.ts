import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { type MigrationSet, migrateToLatest } from '../migrations/migrate.ts';
import { writeAtomically } from './cached-file.ts';
import { dumpTemplate, INITDB_ARGS, TarballBytes } from './pglite-template.ts';
import { PGLITE_START_PARAMS } from './start-params.ts';
import { migrationSources, templateFileName } from './template-key.ts';

/**
 * Writes into `templateDir` a data folder made by initdb and migrated with `extraMigrations`, for
 * {@link createPGliteStorage} to copy into a new data folder: initdb and the migrations in WASM take
 * several seconds, unpacking the result a fraction of one. Run at build time; other templates in
 * the folder are removed. Returns the template's path.
 */
export async function writeDataFolderTemplate(
  templateDir: string,
  extraMigrations: readonly MigrationSet[],
): Promise<string> {
  const path = dataFolderTemplatePath(templateDir, extraMigrations);
  // A new folder unpacks the whole template, and initdb's one 16MB WAL segment was 16MB of its 40MB.
  const pglite = await PGlite.create({ initDbStartParams: INITDB_ARGS, startParams: PGLITE_START_PARAMS });
  const tarball = await dumpTemplate(pglite, (open) =>
    migrateToLatest(new Kysely({ dialect: new PGliteDialect({ pglite: open }) }), extraMigrations),
  );
  writeAtomically(path, tarball);
  for (const name of readdirSync(templateDir)) {
    if (name.startsWith('pglite-') && join(templateDir, name) !== path)
      rmSync(join(templateDir, name), { force: true });
  }
  return path;
}

/**
 * The template for a data folder that has no database yet, when `templateDir` holds one made by
 * this PGlite version with these very migrations; otherwise undefined, and initdb makes the folder.
 */
export function templateForNewFolder(
  dataDir: string,
  templateDir: string,
  extraMigrations: readonly MigrationSet[],
): Blob | undefined {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return undefined;
  const path = dataFolderTemplatePath(templateDir, extraMigrations);
  return existsSync(path) ? new TarballBytes(readFileSync(path)) : undefined;
}

function dataFolderTemplatePath(templateDir: string, extraMigrations: readonly MigrationSet[]): string {
  return join(
    templateDir,
    templateFileName({ dataFolder: true, initdb: INITDB_ARGS, migrations: migrationSources(extraMigrations) }),
  );
}
