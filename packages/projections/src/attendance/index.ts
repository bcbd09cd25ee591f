export { attendanceMarksMigration } from './attendance-marks-migration.ts';
export { type AttendanceMarkRow, writeAttendanceMarks } from './attendance-marks-projector.ts';
export { attendanceMarksSupersededMigration } from './attendance-marks-superseded-migration.ts';
export type {
  AttendanceMarksSchema,
  AttendanceMarksSupersededTable,
  AttendanceMarksTable,
} from './attendance-marks-table.ts';
