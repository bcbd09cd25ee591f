import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { eventStoreMigrations } from '../migrations/event-store-migrations.ts';
import type { MigrationSet } from '../migrations/migrate.ts';

export const PGLITE_VERSION = pgliteVersion();

/**
 * The file name of a PGlite data-folder template made to `recipe`: the PGlite version and a hash of
 * the recipe, so a template made by another PGlite or other migrations is never found.
 */
export function templateFileName(recipe: object): string {
  const key = JSON.stringify({ version: PGLITE_VERSION, ...recipe });
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `pglite-${PGLITE_VERSION}-${hash}.tar`;
}

/** Each migration's name and `up` source: editing a migration in place makes another template. */
export function migrationSources(extraMigrations: readonly MigrationSet[]): unknown {
  return [{ name: '', migrations: eventStoreMigrations }, ...extraMigrations].map(({ name, migrations }) => [
    name,
    Object.keys(migrations)
      .sort()
      .map((migration) => [migration, String(migrations[migration]?.up)]),
  ]);
}

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return String(JSON.parse(readFileSync(new URL('../package.json', pathToFileURL(entry)), 'utf8')).version);
}
