import { PGlite } from '@electric-sql/pglite';
import type { SqlStorage } from '../sql/create-sql-event-store.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';
import { copyTemplateIntoNewFolder } from './data-folder-template.ts';
import { PGLITE_PARSERS, type PGliteStoreOptions, pgliteStorage } from './pglite-storage.ts';
import { PGLITE_START_PARAMS } from './start-params.ts';

/** Options for {@link createPGliteStorage}. */
export interface PGliteEventStoreOptions extends PGliteStoreOptions {
  /** The data folder (default `./.data/pglite`), or `'memory'` for a database that lives in the process. */
  dataDir?: string;
  /**
   * A folder where {@link writeDataFolderTemplate} left a migrated data folder: a new data folder
   * starts as a copy of it, instead of initdb and every migration. Without one that matches the
   * PGlite version and the migrations, the folder is made as before.
   */
  templateDir?: string;
}

export const DEFAULT_PGLITE_DATA_DIR = './.data/pglite';

/**
 * The event store embedded in the process on PGlite (PostgreSQL in WASM), for one machine and
 * evaluation. A lock file refuses a second process on the same data folder.
 */
export async function createPGliteStorage(options: PGliteEventStoreOptions = {}): Promise<SqlStorage> {
  const { dataDir = DEFAULT_PGLITE_DATA_DIR } = options;
  const lock: DataDirLock | null = dataDir === 'memory' ? null : lockDataDir(dataDir);
  try {
    if (lock && options.templateDir)
      copyTemplateIntoNewFolder(lock.dataDir, options.templateDir, options.extraMigrations ?? []);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const pglite = await PGlite.create(lock?.dataDir, {
    parsers: PGLITE_PARSERS,
    startParams: PGLITE_START_PARAMS,
  }).catch((error: unknown) => {
    lock?.release();
    throw error;
  });
  return pgliteStorage(pglite, options, () => lock?.release());
}
