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
  /** Position of the event that recorded this version: a mark's versions in the order they were recorded. */
  recorded_position: ColumnType<bigint, bigint | string, bigint | string>;
}

/** Marks that were in force and have been corrected since. */
export type AttendanceMarksSupersededTable = AttendanceMarksTable;

export type AttendanceMarksSchema = {
  attendance_marks: AttendanceMarksTable;
  attendance_marks_superseded: AttendanceMarksSupersededTable;
};
