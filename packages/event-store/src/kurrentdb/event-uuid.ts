import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id KurrentDB stores for one of our event ids. A UUID is sent as it is (lower case); any other
 * id becomes a name-based UUID (RFC 9562 version 8, from SHA-256 of the namespace and the id), so a
 * retry of the same event sends the same id and the server can recognise it.
 */
export function kurrentEventId(id: string, namespace: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const bytes = createHash('sha256').update(`${namespace}\u0000${id}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
