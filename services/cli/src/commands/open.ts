import { type Config, ConfigError, loadConfig } from '@small-steps/api';
import { openStorage } from '@small-steps/application';
import type { SqlStorage } from '@small-steps/event-store';

/** Loads the configuration (exiting with one line per bad value) and opens the storage, migrated. */
export async function openConfiguredStorage(): Promise<{ config: Config; storage: SqlStorage }> {
  const config = loadOrExit();
  return { config, storage: await openStorage(config.database) };
}

/**
 * Exits with one line when the log is in KurrentDB and `what` reads it from PostgreSQL's events
 * table instead (which is then empty), rather than report on nothing.
 */
export function refuseWithKurrentDb(config: Config, what: string): void {
  if (config.database.kurrentdb === undefined) return;
  process.stderr.write(`${what} reads the log from PostgreSQL, but EVENT_STORE is kurrentdb: not supported yet.\n`);
  process.exit(2);
}

export function loadOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
