import { openVault } from '@small-steps/application';
import { openConfiguredStorage } from './open.ts';

/**
 * Re-wraps every data key and tenant key wrapped by the previous master key (MASTER_KEY_PREVIOUS)
 * with the current one (MASTER_KEY). Only keys are rewritten: no event or read model changes.
 */
export async function rotateMasterKeyCommand(): Promise<void> {
  const { config, storage } = await openConfiguredStorage();
  try {
    if (!config.masterKey.previous) {
      process.stderr.write(
        'Set MASTER_KEY to the new key and MASTER_KEY_PREVIOUS to the one it replaces, then run this again.\n',
      );
      process.exitCode = 2;
      return;
    }
    const rewrapped = await openVault(storage.db, config.masterKey).rewrapKeys();
    process.stdout.write(
      `${rewrapped} key(s) re-wrapped with the new master key. MASTER_KEY_PREVIOUS can now be removed.\n`,
    );
  } finally {
    await storage.close();
  }
}
