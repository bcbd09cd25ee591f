import type { ReadModelTx } from '@small-steps/event-store';
import type { PersonalCipher } from '@small-steps/projections';
import type { PersonalDataVault, SqlRunner } from './personal-data-vault.ts';

// Inside a transaction the keys go through it; in an append's statement (no reads) through the vault's own.
const runnerOf = (tx: ReadModelTx | undefined): SqlRunner | undefined =>
  tx?.canRead ? (statement) => tx.select(statement) : undefined;

/** The vault as the read models use it. */
export const vaultCipher = (vault: PersonalDataVault): PersonalCipher => ({
  seal: (subject, value, tx) => vault.seal(subject, value, runnerOf(tx)),
  open: (value, tx) => vault.open(value, runnerOf(tx)),
  keyedHash: (tenant, purpose, value, tx) => vault.keyedHash(tenant, purpose, value, runnerOf(tx)),
  erasedAmong: (ids, classes) => vault.erasedAmong(ids, classes),
});
