import { type Config, ConfigError, loadConfig } from '@small-steps/api';
import { openStorage } from '@small-steps/application';
import type { SqlStorage } from '@small-steps/event-store';

/** Loads the configuration (exiting with one line per bad value) and opens the storage, migrated. */
export async function openConfiguredStorage(): Promise<{ config: Config; storage: SqlStorage }> {
  const config = loadOrExit();
  return { config, storage: await openStorage(config.database) };
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
