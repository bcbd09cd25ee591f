export {
  ATTENDANCE_EVENT_SCHEMA_VERSIONS,
  AttendanceCorrectedV1,
  AttendanceRecordedV1,
  AttendanceRecordedV2,
  attendanceEventSchemas,
} from './attendance-event-schemas.ts';
export {
  AttendanceMarkRow,
  AttendanceMarksRecorded,
  AttendanceSession,
  MAX_MARKS_PER_REQUEST,
  RecordAttendanceMarksBody,
} from './attendance-mark-schemas.ts';
export {
  AttendanceFigures,
  AttendanceTrend,
  AttendanceTrendQuery,
  ProgressPictureQuery,
  TrendMarker,
} from './attendance-trend-schemas.ts';
