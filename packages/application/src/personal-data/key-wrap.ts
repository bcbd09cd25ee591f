import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM: iv, ciphertext and tag in one buffer; `aad` binds it to what it is about. With
 * `deterministic`, the iv is derived from the key, the aad and the plaintext (a synthetic iv): the
 * same value sealed twice gives the same bytes, so a read model rebuilt from the log equals the one
 * kept live, and two different values never share an iv. It shows only that two sealed values under
 * one pupil's key are equal.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: string, { deterministic = false } = {}): Buffer {
  const iv = deterministic ? syntheticIv(key, plaintext, aad) : randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function syntheticIv(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const ivKey = createHmac('sha256', key).update('small-steps synthetic iv').digest();
  return createHmac('sha256', ivKey).update(aad).update('\u0000').update(plaintext).digest().subarray(0, IV_BYTES);
}

/** Opens what {@link seal} made; throws if any byte, or the `aad`, differs. */
export function unseal(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}
