import type { PupilEvent } from '@small-steps/domain';
import type { EventCodec } from './event-codec.ts';
import { createUpcasterRegistry } from './upcaster-registry.ts';

/** The schema version each pupil event is written at. */
export const PUPIL_EVENT_SCHEMA_VERSIONS = {
  PupilRegistered: 1,
  PupilDetailsCorrected: 1,
  PupilAdmitted: 1,
  PupilLeftSchool: 1,
  PupilDataErased: 1,
} as const satisfies Record<PupilEvent['type'], number>;

export const pupilEventUpcasters = createUpcasterRegistry(PUPIL_EVENT_SCHEMA_VERSIONS);

/**
 * Pupil events in the store. The domain already keeps a pupil's personal data in the event's
 * `personal`, beside `data`, so both are stored as they are; events without personal data store null.
 */
export const pupilEventCodec: EventCodec<PupilEvent> = {
  upcasters: pupilEventUpcasters,
  encode: (event) => ({
    type: event.type,
    schemaVersion: PUPIL_EVENT_SCHEMA_VERSIONS[event.type],
    data: { ...event.data },
    personal: 'personal' in event ? { ...event.personal } : null,
  }),
  decode: (stored) =>
    pupilEventUpcasters
      .upcast(stored)
      .map(
        ({ type, data, personal }) =>
          (personal === null ? { type, data } : { type, data, personal }) as unknown as PupilEvent,
      ),
};
