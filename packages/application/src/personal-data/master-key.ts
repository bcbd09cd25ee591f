import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The key that wraps every data key: from configuration, never stored in the database. */
export interface MasterKey {
  /** Stored beside each wrapped key, so a key wrapped by an earlier master key is known as such. */
  id: string;
  key: Buffer;
}

const KEY_BYTES = 32;

/** A master key from its base64 text (32 random bytes), refusing anything else with a clear message. */
export function masterKeyFrom(text: string, source: string): MasterKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`${source} must be ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32).`);
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** Reads a key file, or makes one (readable by this user only) when `create` and there is none. */
export function masterKeyFile(path: string, { create = false } = {}): MasterKey {
  if (!existsSync(path)) {
    if (!create) throw new Error(`The master key file ${path} does not exist.`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  return masterKeyFrom(readFileSync(path, 'utf8'), path);
}
