import type { SqlStorage } from '../sql/create-sql-event-store.ts';
import { copyTemplateIntoNewFolder } from './data-folder-template.ts';
import { isOpening, type OpeningFolder, openDataFolder } from './pglite-folder.ts';
import { type PGliteStoreOptions, pgliteStorage } from './pglite-storage.ts';

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
  /**
   * The data folder as openExistingDataFolder began opening it, earlier in the start: used when it
   * is `dataDir`, closed otherwise.
   */
  opening?: OpeningFolder | null;
}

export const DEFAULT_PGLITE_DATA_DIR = './.data/pglite';

/**
 * The event store embedded in the process on PGlite (PostgreSQL in WASM, in a thread of its own),
 * for one machine and evaluation. A lock file refuses a second process on the same data folder.
 */
export async function createPGliteStorage(options: PGliteEventStoreOptions = {}): Promise<SqlStorage> {
  const { dataDir = DEFAULT_PGLITE_DATA_DIR, opening } = options;
  let folder: OpeningFolder;
  if (opening && isOpening(opening, dataDir)) folder = opening;
  else {
    await opening?.close();
    const { templateDir, extraMigrations = [] } = options;
    // A new data folder is made from the template, when there is one, before PGlite opens it.
    folder = openDataFolder(
      dataDir,
      templateDir ? (locked) => copyTemplateIntoNewFolder(locked, templateDir, extraMigrations) : undefined,
    );
  }
  try {
    await folder.database.waitReady;
  } catch (error) {
    await folder.close();
    const where = folder.dataDir === undefined ? 'in memory' : `on the data folder ${folder.dataDir}`;
    throw new Error(`PGlite could not start ${where}: ${(error as Error).message}`, { cause: error });
  }
  return pgliteStorage(folder.database, options, folder.release);
}
