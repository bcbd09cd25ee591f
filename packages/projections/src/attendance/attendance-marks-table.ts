import type { ColumnType } from 'kysely';

/**
 * The mark in force for each pupil, school, date and session, written in the append's transaction,
 * so a school's upload is decided from one query rather than by replaying thousands of streams.
 */
export interface AttendanceMarksTable {
  tenant: string;
  pupil_id: string;
  school_urn: string;
  /** The session's date (when it happened), YYYY-MM-DD. */
  date: ColumnType<string, string, string>;
  session: 'AM' | 'PM';
  code: string;
  /** When this version of the mark was recorded. */
  recorded_at: ColumnType<Date, Date | string, Date | string>;
}

/** Marks that were in force and have been corrected since, in the order they were replaced. */
export interface AttendanceMarksSupersededTable extends AttendanceMarksTable {
  position: ColumnType<bigint, never, never>;
}

export interface AttendanceMarksSchema {
  attendance_marks: AttendanceMarksTable;
  attendance_marks_superseded: AttendanceMarksSupersededTable;
}
