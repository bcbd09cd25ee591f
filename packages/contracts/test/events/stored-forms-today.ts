import type { AttendanceEvent, PlanEvent, PupilEvent } from '@small-steps/domain';
import {
  ATTENDANCE_EVENT_SCHEMA_VERSIONS,
  mergePersonal,
  PLAN_EVENT_SCHEMA_VERSION,
  planEventSchemas,
  type StoredPayload,
  splitPersonal,
} from '../../src/index.ts';

/*
 * The api's conversions as they stand before the codecs (services/api at 6ae3b7c), copied so the
 * codecs can be held to them without this package reaching into the service.
 */

/** `planAggregate.toStored` and `fromStored` (services/api/src/plans/plan-aggregate.ts). */
export const planToday = {
  toStored(event: PlanEvent): StoredPayload {
    const schema = planEventSchemas[event.type];
    schema.parse(event.data);
    const { data, personal } = splitPersonal(schema, event.data);
    return { type: event.type, schemaVersion: PLAN_EVENT_SCHEMA_VERSION, data, personal };
  },
  fromStored(stored: StoredPayload): PlanEvent {
    if (stored.schemaVersion !== PLAN_EVENT_SCHEMA_VERSION) {
      throw new Error(`No upcaster for ${stored.type} version ${stored.schemaVersion}`);
    }
    return { type: stored.type, data: mergePersonal(stored.data, stored.personal) } as PlanEvent;
  },
};

/** `pupilAggregate.toStored` and `fromStored` (services/api/src/pupils/pupil-aggregate.ts). */
export const pupilToday = {
  toStored: (event: PupilEvent): StoredPayload => ({
    type: event.type,
    schemaVersion: 1,
    data: { ...event.data },
    personal: 'personal' in event ? { ...event.personal } : null,
  }),
  fromStored: (stored: StoredPayload): PupilEvent =>
    ({ type: stored.type, data: stored.data, personal: stored.personal ?? undefined }) as PupilEvent,
};

/**
 * `storedAttendanceEvent` (services/api/src/attendance/attendance-streams.ts); nothing reads attendance
 * events back today, so the reader is the last one there was, `attendanceEventOf` (984b2a9).
 */
export const attendanceToday = {
  toStored: (event: AttendanceEvent): StoredPayload => ({
    type: event.type,
    schemaVersion: ATTENDANCE_EVENT_SCHEMA_VERSIONS[event.type],
    data: { ...event.data },
    personal: event.type === 'AttendanceCorrected' ? { ...event.personal } : null,
  }),
  fromStored: (stored: StoredPayload): AttendanceEvent =>
    stored.type === 'AttendanceCorrected'
      ? ({
          type: stored.type,
          data: stored.data,
          personal: stored.personal ?? { reason: '' },
        } as unknown as AttendanceEvent)
      : ({ type: stored.type, data: stored.data } as unknown as AttendanceEvent),
};
