import { ATTENDANCE_EVENT_SCHEMA_VERSION } from '@small-steps/contracts';
import type { AttendanceEvent } from '@small-steps/domain';
import type { NewEvent, StoredEvent } from '@small-steps/event-store';

/** Attendance streams are per pupil and academic year. */
export const attendanceStreamId = (pupilId: string, academicYear: number): string =>
  `attendance-${pupilId}-${academicYear}`;

/** A domain event as stored: a correction's reason is free text, so it travels in `personal`. */
export const storedAttendanceEvent = (
  event: AttendanceEvent,
): Pick<NewEvent, 'type' | 'schemaVersion' | 'data' | 'personal'> => ({
  type: event.type,
  schemaVersion: ATTENDANCE_EVENT_SCHEMA_VERSION,
  data: { ...event.data },
  personal: event.type === 'AttendanceCorrected' ? { ...event.personal } : null,
});

export const attendanceEventOf = (stored: StoredEvent): AttendanceEvent =>
  stored.type === 'AttendanceCorrected'
    ? ({
        type: stored.type,
        data: stored.data,
        personal: stored.personal ?? { reason: '' },
      } as unknown as AttendanceEvent)
    : ({ type: stored.type, data: stored.data } as unknown as AttendanceEvent);
