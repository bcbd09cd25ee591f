/**
 * Attendance streams are a school's register for one day, in one LA's records:
 * `attendance-801-100001-2026-10-15`. Every mark of that day at that school is decided in it, so
 * uploads for other schools or days never wait for each other, and a day's upload is one event.
 */
export const attendanceStreamId = (tenant: string, schoolUrn: string, date: string): string =>
  `attendance-${tenant}-${schoolUrn}-${date}`;
