import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Another live process holds the PGlite data folder. */
export class DataDirInUse extends Error {
  override readonly name = 'DataDirInUse';
  readonly dataDir: string;
  readonly holderPid: number;
  readonly lockFile: string;

  constructor(dataDir: string, holderPid: number, lockFile: string) {
    super(
      `The PGlite data folder ${dataDir} is in use by process ${holderPid} (lock file ${lockFile}). ` +
        'Only one process may open a PGlite data folder: stop that process, or set DATABASE_URL to use PostgreSQL.',
    );
    this.dataDir = dataDir;
    this.holderPid = holderPid;
    this.lockFile = lockFile;
  }
}

/** A held lock on a data folder. */
export interface DataDirLock {
  readonly dataDir: string;
  readonly lockFile: string;
  /** Removes the lock file if this process still holds it. */
  release(): void;
}

/**
 * Takes `<dataDir>.lock` beside the folder (PGlite owns the folder's contents), holding this
 * process's pid. PGlite itself does nothing to stop two processes corrupting one folder. A lock
 * left by a process that no longer runs is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const folder = resolve(dataDir);
  const lockFile = `${folder}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  const pid = String(process.pid);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWithContent(lockFile, pid)) {
      return { dataDir: folder, lockFile, release: () => releaseIfHeld(lockFile, pid) };
    }
    const holder = readPid(lockFile);
    if (holder === undefined) continue;
    if (holder !== null && isRunning(holder)) throw new DataDirInUse(folder, holder, lockFile);
    takeOverStale(lockFile, holder);
  }
  throw new Error(`Could not take the lock file ${lockFile} for the PGlite data folder ${folder}.`);
}

// Writes a temporary file and links it into place, so the lock file never exists without a pid.
function createWithContent(lockFile: string, pid: string): boolean {
  const temporary = `${lockFile}.${pid}.tmp`;
  writeFileSync(temporary, `${pid}\n`);
  try {
    linkSync(temporary, lockFile);
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

// The holder's pid, null when the file holds none, undefined when the file vanished meanwhile.
function readPid(lockFile: string): number | null | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

// Moves the stale file aside atomically. If another process replaced it with a live lock in the
// meantime, that lock is put back and the next attempt reports its holder.
function takeOverStale(lockFile: string, stalePid: number | null): void {
  const aside = `${lockFile}.stale.${process.pid}`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return;
    throw error;
  }
  if (readPid(aside) !== stalePid) {
    try {
      linkSync(aside, lockFile);
    } catch {
      // Someone took the folder meanwhile; the next attempt sees their lock.
    }
  }
  unlinkSync(aside);
}

function releaseIfHeld(lockFile: string, pid: string): void {
  try {
    if (readFileSync(lockFile, 'utf8').trim() === pid) unlinkSync(lockFile);
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
  }
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
