import { type JSONEventData, jsonEvent } from '@kurrent/kurrentdb-client';
import type { EventMetadata, RecordedEvent, StoredEvent } from '../event-store.ts';
import { kurrentEventId } from './event-uuid.ts';
import { type KurrentPosition, logPositionOfKurrent } from './kurrent-position.ts';
import type { StreamNames } from './stream-names.ts';
import { versionOfRevision } from './stream-state.ts';

/**
 * What travels as a KurrentDB event's metadata: everything of ours but the type and the data. Every
 * value is a string, since the multi-stream append takes only string properties; the metadata
 * and the personal part are JSON text, `previousHash` is empty for a stream's first event. No key
 * starts with `$`: the multi-stream append keeps those names for the server's own properties.
 */
export interface KurrentEnvelope {
  eventId: string;
  schemaVersion: string;
  recordedAt: string;
  previousHash: string;
  hash: string;
  metadata: string;
  personal: string;
}

/** The client's event for one of ours, as prepared for its stream (numbered, dated, chained). */
export function eventDataOf(event: RecordedEvent, namespace: string): JSONEventData {
  const envelope: KurrentEnvelope = {
    eventId: event.id,
    schemaVersion: String(event.schemaVersion),
    recordedAt: event.recordedAt.toISOString(),
    previousHash: event.previousHash ?? '',
    hash: event.hash,
    metadata: JSON.stringify(event.metadata),
    personal: JSON.stringify(event.personal),
  };
  return jsonEvent({ id: kurrentEventId(event.id, namespace), type: event.type, data: event.data, metadata: envelope });
}

/** The fields of a KurrentDB recorded event this store reads. */
export interface KurrentRecord {
  streamId: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  position?: KurrentPosition | undefined;
}

/** Our event of a KurrentDB record in our namespace; a TypeError for anything else. */
export function storedEventOf(record: KurrentRecord, names: StreamNames): StoredEvent {
  const streamId = names.idOf(record.streamId);
  if (streamId === null) throw new TypeError(`Stream ${record.streamId} is not in namespace ${names.namespace}.`);
  if (record.position === undefined)
    throw new TypeError(`Event ${record.revision} of ${record.streamId} has no position.`);
  const envelope = envelopeOf(record.metadata, record.streamId);
  return {
    id: envelope.eventId,
    type: record.type,
    schemaVersion: Number(envelope.schemaVersion),
    data: objectOf(record.data, record.streamId),
    personal: JSON.parse(envelope.personal) as Record<string, unknown> | null,
    metadata: JSON.parse(envelope.metadata) as EventMetadata,
    streamId,
    version: versionOfRevision(record.revision),
    // The prepare position is the record's own; events of one append share a commit position.
    position: record.position.prepare,
    logPosition: logPositionOfKurrent(record.position),
    recordedAt: new Date(envelope.recordedAt),
    previousHash: envelope.previousHash === '' ? null : envelope.previousHash,
    hash: envelope.hash,
  };
}

const ENVELOPE_KEYS = [
  'eventId',
  'schemaVersion',
  'recordedAt',
  'previousHash',
  'hash',
  'metadata',
  'personal',
] as const;

function envelopeOf(metadata: unknown, streamName: string): KurrentEnvelope {
  const value = metadata instanceof Uint8Array ? JSON.parse(Buffer.from(metadata).toString('utf8')) : metadata;
  const envelope = objectOf(value, streamName);
  for (const key of ENVELOPE_KEYS) {
    if (typeof envelope[key] !== 'string')
      throw new TypeError(`An event of ${streamName} was not written by this store: its metadata has no ${key}.`);
  }
  return envelope as unknown as KurrentEnvelope;
}

function objectOf(value: unknown, streamName: string): Record<string, unknown> {
  const parsed = value instanceof Uint8Array ? JSON.parse(Buffer.from(value).toString('utf8')) : value;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new TypeError(`An event of ${streamName} holds no JSON object.`);
  return parsed as Record<string, unknown>;
}
