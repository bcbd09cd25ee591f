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
 * thousand rows. A session must appear once: give only the last mark for each. A mark replaced by a
 * correction moves to `attendance_marks_superseded`, so the register can still be read as it stood
 * at an earlier instant. With `areAllNew` (an upload that only marked sessions for the first time)
 * the rows are inserted without looking for ones to replace, which costs the database less.
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
    const rows = sql`
      select ${tenant}::text as tenant, mark.*, ${recordedAt.toISOString()}::timestamptz as recorded_at
      from unnest(
        ${arrayLiteral(chunk, (m) => m.pupilId)}::uuid[], ${arrayLiteral(chunk, (m) => m.schoolUrn)}::text[],
        ${arrayLiteral(chunk, (m) => m.date)}::date[], ${arrayLiteral(chunk, (m) => m.session)}::text[],
        ${arrayLiteral(chunk, (m) => m.code)}::text[]
      ) as mark(pupil_id, school_urn, date, session, code)`;
    if (areAllNew) {
      await sql`
        insert into attendance_marks (tenant, pupil_id, school_urn, date, session, code, recorded_at)
        ${rows}`.execute(db);
      continue;
    }
    // Both statements see the table as it was before this one, so the marks moved aside are the
    // ones being replaced.
    await sql`
      with mark as (${rows}),
      superseded as (
        insert into attendance_marks_superseded (tenant, pupil_id, school_urn, date, session, code, recorded_at)
        select was.tenant, was.pupil_id, was.school_urn, was.date, was.session, was.code, was.recorded_at
        from mark cross join lateral (
          select * from attendance_marks
          where attendance_marks.pupil_id = mark.pupil_id and attendance_marks.date = mark.date
            and attendance_marks.session = mark.session and attendance_marks.school_urn = mark.school_urn
          offset 0
        ) as was
      )
      insert into attendance_marks (tenant, pupil_id, school_urn, date, session, code, recorded_at)
      select tenant, pupil_id, school_urn, date, session, code, recorded_at from mark
      on conflict (pupil_id, date, session, school_urn)
      do update set code = excluded.code, recorded_at = excluded.recorded_at`.execute(db);
  }
}

/**
 * A column as a PostgreSQL array literal, every element quoted. pg would build the same text from a
 * JavaScript array, at about three times the cost for columns of thousands of ids and codes.
 */
function arrayLiteral<T>(rows: readonly T[], value: (row: T) => string): string {
  const elements = rows.map((row) => {
    const text = value(row);
    return text.includes('\\') || text.includes('"') ? text.replace(/["\\]/g, '\\$&') : text;
  });
  return `{"${elements.join('","')}"}`;
}
