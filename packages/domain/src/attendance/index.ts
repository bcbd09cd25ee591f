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
