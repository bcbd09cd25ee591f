import { createHash, randomUUID } from 'node:crypto';

/**
 * Event ids derive from the idempotency key, so a retry that slips past the idempotency record
 * still lands on the store's own duplicate-id check and appends nothing.
 */
export function eventIdFor(scope: string, idempotencyKey: string | undefined, index: number): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${scope}\u0000${idempotencyKey}\u0000${index}`).digest('hex');
  // Shape as an RFC 9562 version-8 (custom) UUID.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
