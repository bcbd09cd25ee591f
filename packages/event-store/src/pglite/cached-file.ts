import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Rebuilding costs seconds, while a template is tens of MB and each edited migration makes a new one.
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

const ensured = new Map<string, Promise<void>>();

/**
 * Makes sure the file at `path` exists, building its content when it does not, once per process.
 * Processes that miss it at the same time each build it and rename their own temporary file into
 * place, so a reader finds either no file or a whole one. The folder belongs to the cache: a new
 * file clears out the ones nobody has used for a day.
 */
export function ensureCachedFile(path: string, build: () => Promise<Uint8Array>): Promise<void> {
  let ready = ensured.get(path);
  if (ready === undefined) {
    ready = (async () => {
      if (existsSync(path)) return markUsed(path);
      writeAtomically(path, await build());
      removeStale(dirname(path));
    })().catch((error: unknown) => {
      ensured.delete(path);
      throw error;
    });
    ensured.set(path, ready);
  }
  return ready;
}

export function writeAtomically(path: string, content: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function markUsed(path: string): void {
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    // A read-only cache still serves; it is only never cleared.
  }
}

function removeStale(folder: string): void {
  const now = Date.now();
  for (const name of readdirSync(folder)) {
    const file = join(folder, name);
    try {
      if (now - statSync(file).mtimeMs > STALE_AFTER_MS) rmSync(file, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
