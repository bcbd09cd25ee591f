import { type Config, ConfigError, loadConfig, openStore } from '@small-steps/api';
import type { EventStore } from '@small-steps/event-store';

/** Loads the configuration (exiting with one line per bad value) and opens the store, migrated. */
export async function openConfiguredStore(): Promise<{ config: Config; store: EventStore }> {
  const config = loadOrExit();
  return { config, store: await openStore(config.database) };
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
