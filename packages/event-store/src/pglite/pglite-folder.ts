import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import { PGliteThread } from './pglite-thread.ts';

/** A data folder this process holds, with PGlite opening on it in its own thread. */
export interface OpeningFolder {
  /** The folder, as an absolute path; undefined for a database in memory. */
  readonly dataDir: string | undefined;
  readonly database: PGliteThread;
  /** Gives the folder up: for when the database has been closed, or never opened. */
  release(): void;
  /** Closes the database, whatever state its opening is in, and gives the folder up. */
  close(): Promise<void>;
}

function opened(dataDir: string | undefined, database: PGliteThread, release: () => void): OpeningFolder {
  return {
    dataDir,
    database,
    release,
    async close() {
      await database.close().catch(() => {});
      release();
    },
  };
}

/**
 * Locks `dataDir` (refusing a folder another live process holds), lets `prepare` make it ready
 * under the lock, and starts PGlite on it in its own thread; `'memory'` for a database that lives in
 * the thread.
 */
export function openDataFolder(dataDir: string, prepare?: (dataDir: string) => void): OpeningFolder {
  if (dataDir === 'memory') return opened(undefined, new PGliteThread(undefined), () => {});
  const lock = lockDataDir(dataDir);
  try {
    prepare?.(lock.dataDir);
    return opened(lock.dataDir, new PGliteThread(lock.dataDir), () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Begins opening `dataDir` before anything else is loaded, when it already holds a database, so that
 * PostgreSQL starts while the service's code loads; null for a new folder (it is made from the
 * template, which the migrations name) or one that cannot be opened now, whose error the ordinary
 * open reports. Hand the result to createPGliteStorage as `opening`.
 */
export function openExistingDataFolder(dataDir: string): OpeningFolder | null {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) return null;
  try {
    return openDataFolder(dataDir);
  } catch {
    return null;
  }
}

/** Whether `opening` is `dataDir` opening. */
export function isOpening(opening: OpeningFolder, dataDir: string): boolean {
  return opening.dataDir === (dataDir === 'memory' ? undefined : resolve(dataDir));
}
