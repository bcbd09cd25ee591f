export { academicYearOf, academicYearRange } from './academic-year.ts';
export { type AttendanceCodeCheck, checkAttendanceCode, RETIRED_ATTENDANCE_CODES } from './attendance-code-check.ts';
export {
  ATTENDANCE_CODE_GROUPS,
  ATTENDANCE_CODES,
  type AttendanceCode,
  type AttendanceCodeGroup,
  type AttendanceCodeInfo,
  type AttendanceCountsAs,
  isAttendanceCode,
} from './attendance-codes.ts';
export {
  ATTENDANCE_RULES,
  type AttendanceBatchDecision,
  type AttendanceRowOutcome,
  type AttendanceRuleId,
  decideAttendanceMarks,
} from './attendance-decide.ts';
export { type AttendanceFigures, isPersistentlyAbsent, isSeverelyAbsent, rateOf } from './attendance-figures.ts';
export {
  type AttendanceCorrected,
  type AttendanceEvent,
  type AttendanceMark,
  type AttendanceMarkInput,
  type AttendanceRecorded,
  type AttendanceSessionKey,
  attendanceMarksFrom,
  currentMarks,
  type RegisterRow,
  SESSIONS,
  type Session,
  sessionKeyOf,
} from './attendance-marks.ts';
export {
  type AttendanceTrend,
  type AttendanceTrendInput,
  attendanceTrend,
  type MonthlyAttendance,
  type PeriodAttendance,
  type TrendMarker,
  type WeeklyAttendance,
} from './attendance-trend.ts';
