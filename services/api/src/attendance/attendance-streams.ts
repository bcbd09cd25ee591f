import { ATTENDANCE_EVENT_SCHEMA_VERSIONS } from '@small-steps/contracts';
import type { AttendanceEvent } from '@small-steps/domain';
import type { NewEvent } from '@small-steps/event-store';

/**
 * Attendance streams are a school's register for one day, in one LA's records:
 * `attendance-801-100001-2026-10-15`. Every mark of that day at that school is decided in it, so
 * uploads for other schools or days never wait for each other, and a day's upload is one event.
 */
export const attendanceStreamId = (tenant: string, schoolUrn: string, date: string): string =>
  `attendance-${tenant}-${schoolUrn}-${date}`;

/** A domain event as stored: a correction's reason is free text, so it travels in `personal`. */
export const storedAttendanceEvent = (
  event: AttendanceEvent,
): Pick<NewEvent, 'type' | 'schemaVersion' | 'data' | 'personal'> => ({
  type: event.type,
  schemaVersion: ATTENDANCE_EVENT_SCHEMA_VERSIONS[event.type],
  data: { ...event.data },
  personal: event.type === 'AttendanceCorrected' ? { ...event.personal } : null,
});
