export { attendanceMarksMigration } from './attendance-marks-migration.ts';
export { type AttendanceMarkRow, writeAttendanceMarks } from './attendance-marks-projector.ts';
export type { AttendanceMarksSchema, AttendanceMarksTable } from './attendance-marks-table.ts';
