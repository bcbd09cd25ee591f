import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type TreeHeadSigner, treeHeadSigner } from '@small-steps/event-store';

/**
 * Where the key that signs audit checkpoints comes from: a PEM value (`AUDIT_SIGNING_KEY`), a file
 * (`AUDIT_SIGNING_KEY_FILE`), or, outside production, a file in the data folder made on first run.
 */
export interface AuditSigningKeySettings {
  value?: string | undefined;
  file?: string | undefined;
  dataDir: string;
}

/** The signing key file made in the data folder when none is configured. */
export const dataDirSigningKeyFile = (dataDir: string): string => join(dataDir, 'audit-signing-key.pem');

export function loadAuditSigner(settings: AuditSigningKeySettings): TreeHeadSigner {
  if (settings.value) return treeHeadSigner(settings.value, 'AUDIT_SIGNING_KEY');
  if (settings.file) {
    if (!existsSync(settings.file)) throw new Error(`The audit signing key file ${settings.file} does not exist.`);
    return treeHeadSigner(readFileSync(settings.file, 'utf8'), settings.file);
  }
  const path = dataDirSigningKeyFile(settings.dataDir);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  return treeHeadSigner(readFileSync(path, 'utf8'), path);
}
