import type { AttendanceEvent } from '@small-steps/domain';
import { ATTENDANCE_EVENT_SCHEMA_VERSIONS } from '../attendance/attendance-event-schemas.ts';
import { upcastAttendanceRecordedV1 } from './attendance-recorded-upcaster.ts';
import type { EventCodec } from './event-codec.ts';
import { createUpcasterRegistry } from './upcaster-registry.ts';

/** `AttendanceRecorded` is at version 2 (version 1 is read through its upcaster); `AttendanceCorrected` at 1. */
export const attendanceEventUpcasters = createUpcasterRegistry(ATTENDANCE_EVENT_SCHEMA_VERSIONS, [
  { type: 'AttendanceRecorded', fromVersion: 1, upcast: upcastAttendanceRecordedV1 },
]);

/**
 * Attendance events in the store: a correction's reason is free text, so it travels in `personal`;
 * a recorded register has nothing personal. A correction whose personal part is gone (erased) reads
 * with an empty reason, as the reader of version 1 did.
 */
export const attendanceEventCodec: EventCodec<AttendanceEvent> = {
  upcasters: attendanceEventUpcasters,
  encode: (event) => ({
    type: event.type,
    schemaVersion: ATTENDANCE_EVENT_SCHEMA_VERSIONS[event.type],
    data: { ...event.data },
    personal: event.type === 'AttendanceCorrected' ? { ...event.personal } : null,
  }),
  decode: (stored) =>
    attendanceEventUpcasters
      .upcast(stored)
      .map(
        ({ type, data, personal }) =>
          (type === 'AttendanceCorrected'
            ? { type, data, personal: personal ?? { reason: '' } }
            : { type, data }) as unknown as AttendanceEvent,
      ),
};
