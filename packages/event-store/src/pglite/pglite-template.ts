import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { type MigrationSet, migrateToLatest } from '../migrations/migrate.ts';
import type { SqlEventStoreOptions, SqlStorage } from '../sql/create-sql-event-store.ts';
import { ensureCachedFile } from './cached-file.ts';
import { PGLITE_OPTIONS, PGLITE_START_PARAMS } from './pglite-options.ts';
import { pgliteStorage } from './pglite-storage.ts';
import { migrationSources, templateFileName } from './template-key.ts';

const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/small-steps/', import.meta.url));
// Each open unpacks the whole template, and initdb's one 16MB WAL segment was 16MB of its 40MB.
export const INITDB_ARGS = ['--wal-segsize=1'];

/**
 * Storage on a new in-memory PGlite for tests, unpacked from a cached data folder that is
 * already migrated: initdb in WASM takes seconds, unpacking a fraction of one. The cache
 * (`node_modules/.cache/small-steps`) is keyed by the PGlite version and each migration's name and
 * `up` source; when a migration changes through something else it reads, delete the folder.
 */
export async function createPGliteTestStorage(options: SqlEventStoreOptions = {}): Promise<SqlStorage> {
  const template = await migratedTemplate(options.extraMigrations ?? []);
  return pgliteStorage(await openTemplate(template), { ...options, migrate: false });
}

async function migratedTemplate(extraMigrations: readonly MigrationSet[]): Promise<string> {
  const initialised = templatePath({});
  await ensureCachedFile(initialised, async () =>
    dumpTemplate(await PGlite.create({ initDbStartParams: INITDB_ARGS, startParams: PGLITE_START_PARAMS })),
  );
  const migrated = templatePath({ migrations: migrationSources(extraMigrations) });
  await ensureCachedFile(migrated, async () =>
    dumpTemplate(await openTemplate(initialised), (pglite) =>
      migrateToLatest(new Kysely({ dialect: new PGliteDialect({ pglite }) }), extraMigrations),
    ),
  );
  return migrated;
}

function templatePath(recipe: object): string {
  return join(CACHE_DIR, templateFileName({ initdb: INITDB_ARGS, ...recipe }));
}

export async function dumpTemplate(pglite: PGlite, prepare?: (pglite: PGlite) => Promise<void>): Promise<Uint8Array> {
  try {
    await prepare?.(pglite);
    // After a checkpoint, a copy opens without replaying WAL.
    await pglite.exec('checkpoint');
    const tarball = await pglite.dumpDataDir('none');
    return new Uint8Array(await tarball.arrayBuffer());
  } finally {
    if (!pglite.closed) await pglite.close();
  }
}

function openTemplate(path: string): Promise<PGlite> {
  return PGlite.create({
    ...PGLITE_OPTIONS,
    loadDataDir: new TarballBytes(readFileSync(path)),
  });
}

// PGlite only calls arrayBuffer() on the tarball. A Blob would copy the bytes in and then back out
// in chunks, a few hundred milliseconds per open here; this hands them over as read.
export class TarballBytes extends Blob {
  readonly #bytes: Uint8Array<ArrayBuffer>;

  constructor(bytes: Uint8Array<ArrayBuffer>) {
    super([], { type: 'application/x-tar' });
    this.#bytes = bytes;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.#bytes;
    return byteOffset === 0 && byteLength === buffer.byteLength
      ? buffer
      : buffer.slice(byteOffset, byteOffset + byteLength);
  }
}
