import { createHash } from 'node:crypto';
import type { HashedEvent } from '../hash/event-hash.ts';

/**
 * RFC 8785 canonical JSON of a value that came out of `JSON.parse` (so only null, booleans, finite
 * numbers, strings, arrays and plain objects): keys sorted by UTF-16 code units, numbers and strings
 * as ECMAScript's JSON.stringify writes them. The same text `canonicalize` gives, several times faster.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && !value.isWellFormed()) throw new Error('Lone surrogate is not allowed');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${text}]`;
  }
  const keys = Object.keys(value).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    text += `${i === 0 ? '' : ','}${canonicalJson(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`;
  }
  return `${text}}`;
}

/**
 * `eventHash` of an event whose payloads came out of `JSON.parse`, given their canonical JSON, with
 * the envelope's keys written in their sorted order rather than sorted again for every event. The
 * contract suite verifies every chain it writes with `eventHash` itself.
 */
export function preparedEventHash(
  event: HashedEvent,
  canonical: { data: string; personal: string; metadata: string },
): string {
  const text =
    `{"data":${canonical.data},"eventId":${canonicalJson(event.id)},` +
    `"metadata":${canonical.metadata},"personal":${canonical.personal},` +
    `"previousHash":${canonicalJson(event.previousHash)},"recordedAt":${canonicalJson(event.recordedAt.toISOString())},` +
    `"schemaVersion":${canonicalJson(event.schemaVersion)},"streamId":${canonicalJson(event.streamId)},` +
    `"type":${canonicalJson(event.type)},"version":${canonicalJson(event.version)}}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
