import { type Kysely, sql } from 'kysely';
import type { AttendanceMarksSchema } from './attendance-marks-table.ts';

/** A mark now in force, as an upload decided it. */
export interface AttendanceMarkRow {
  pupilId: string;
  schoolUrn: string;
  date: string;
  session: 'AM' | 'PM';
  code: string;
}

// Rows per statement: each column goes as one array parameter.
const CHUNK = 5000;

/**
 * Writes the marks an upload recorded or corrected (inline projection), one statement per few
 * thousand rows. A session must appear once: give only the last mark for each. With `areAllNew`
 * (an upload that only marked sessions for the first time) the rows are inserted without looking
 * for ones to update, which costs the database less.
 */
export async function writeAttendanceMarks(
  db: Kysely<AttendanceMarksSchema>,
  tenant: string,
  recordedAt: Date,
  marks: readonly AttendanceMarkRow[],
  { areAllNew = false }: { areAllNew?: boolean } = {},
): Promise<void> {
  for (let start = 0; start < marks.length; start += CHUNK) {
    const chunk = marks.slice(start, start + CHUNK);
    await sql`
      insert into attendance_marks (tenant, pupil_id, school_urn, date, session, code, recorded_at)
      select ${tenant}::text, mark.*, ${recordedAt.toISOString()}::timestamptz
      from unnest(
        ${chunk.map((m) => m.pupilId)}::uuid[], ${chunk.map((m) => m.schoolUrn)}::text[],
        ${chunk.map((m) => m.date)}::date[], ${chunk.map((m) => m.session)}::text[],
        ${chunk.map((m) => m.code)}::text[]
      ) as mark
      ${
        areAllNew
          ? sql``
          : sql`on conflict (pupil_id, date, session, school_urn)
      do update set code = excluded.code, recorded_at = excluded.recorded_at`
      }`.execute(db);
  }
}
