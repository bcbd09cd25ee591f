import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { type MasterKey, masterKeyFile, masterKeyFrom } from './master-key.ts';
import { PersonalDataVault } from './personal-data-vault.ts';

/**
 * Where the master key comes from: a value (`MASTER_KEY`), a file (`MASTER_KEY_FILE`), or, outside
 * production, a file in the data folder made on first run. `previous` is a key rotated out, still
 * accepted until `rotate-master-key` has re-wrapped everything.
 */
export interface MasterKeySettings {
  value?: string | undefined;
  file?: string | undefined;
  dataDir: string;
  previous?: string | undefined;
}

/** The master key file made in the data folder when none is configured. */
export const dataDirKeyFile = (dataDir: string): string => join(dataDir, 'master.key');

export function loadMasterKey(settings: MasterKeySettings): MasterKey {
  if (settings.value) return masterKeyFrom(settings.value, 'MASTER_KEY');
  if (settings.file) return masterKeyFile(settings.file);
  return masterKeyFile(dataDirKeyFile(settings.dataDir), { create: true });
}

/** The vault over the storage's database, with the configured master key (and the previous one). */
export function openVault(db: Kysely<object>, settings: MasterKeySettings): PersonalDataVault {
  const previous = settings.previous ? [masterKeyFrom(settings.previous, 'MASTER_KEY_PREVIOUS')] : [];
  return new PersonalDataVault(db, loadMasterKey(settings), previous);
}
