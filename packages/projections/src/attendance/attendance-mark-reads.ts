import { type AttendanceMark, academicYearRange } from '@small-steps/domain';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AttendanceMarksSchema } from './attendance-marks-table.ts';

export interface MarkRow {
  pupil_id: string;
  school_urn: string;
  date: string;
  session: AttendanceMark['session'];
  code: string;
  recorded_at: Date;
}

export const toMark = (row: MarkRow): AttendanceMark => ({
  pupilId: row.pupil_id,
  schoolUrn: row.school_urn,
  date: row.date,
  session: row.session,
  code: row.code as AttendanceMark['code'],
  recordedAt: row.recorded_at.toISOString(),
});

/**
 * The marks in force for these pupils in an academic year, at every school, as one statement whose
 * rows are the marks themselves: a daily pass reads hundreds of thousands, and a row copied into a
 * mark, its instant parsed into a Date and printed again, cost more than reading them.
 */
export function marksInForceForYearSql(pupilIds: readonly string[], year: number): RawBuilder<AttendanceMark> {
  const { start, end } = academicYearRange(year);
  return sql<AttendanceMark>`
    select pupil_id as "pupilId", school_urn as "schoolUrn", date::text as date, session, code,
      to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "recordedAt"
    from attendance_marks
    where pupil_id = any(${pupilIds}::uuid[]) and date between ${start} and ${end}
    order by pupil_id, date, session, school_urn`;
}

/** Register marks from the read models: those in force, and those corrected since. */
export class AttendanceMarkReads {
  readonly #db: Kysely<AttendanceMarksSchema>;

  constructor(db: Kysely<object>) {
    this.#db = db.withTables<AttendanceMarksSchema>();
  }

  /** The marks in force for these pupils on these dates, at every school, in one query. */
  async inForceOn(keys: readonly { pupilId: string; date: string }[]): Promise<AttendanceMark[]> {
    const pupilsByDate = new Map<string, Set<string>>();
    for (const { pupilId, date } of keys) {
      const pupils = pupilsByDate.get(date);
      if (pupils) pupils.add(pupilId);
      else pupilsByDate.set(date, new Set([pupilId]));
    }
    const [pupilIds, dates]: [string[], string[]] = [[], []];
    for (const [date, pupils] of pupilsByDate) {
      for (const pupilId of pupils) {
        pupilIds.push(pupilId);
        dates.push(date);
      }
    }
    if (pupilIds.length === 0) return [];
    // A probe of the key per pupil and date. As a plain join the planner hashes the whole table,
    // which costs more with every day recorded; `offset 0` keeps the subquery from being flattened.
    const { rows } = await sql<MarkRow>`
      select m.pupil_id, m.school_urn, m.date::text as date, m.session, m.code, m.recorded_at
      from unnest(${pupilIds}::uuid[], ${dates}::date[]) as k(pupil_id, date)
      cross join lateral (
        select * from attendance_marks
        where attendance_marks.pupil_id = k.pupil_id and attendance_marks.date = k.date
        offset 0
      ) as m`.execute(this.#db);
    return rows.map(toMark);
  }

  /** The marks in force for a pupil in an academic year, at every school. */
  async inForceForYear(pupilId: string, year: number): Promise<AttendanceMark[]> {
    const { start, end } = academicYearRange(year);
    const { rows } = await sql<MarkRow>`
      select pupil_id, school_urn, date::text as date, session, code, recorded_at
      from attendance_marks
      where pupil_id = ${pupilId} and date between ${start} and ${end}
      order by date, session, school_urn`.execute(this.#db);
    return rows.map(toMark);
  }

  /**
   * Every recorded version of the pupil's marks for the year, each session's in the order they were
   * recorded (the one in force last): for "as recorded at" reads.
   */
  async versionsForYear(pupilId: string, year: number): Promise<AttendanceMark[]> {
    const { start, end } = academicYearRange(year);
    // One statement, so a correction committing meanwhile is seen either whole or not at all.
    const { rows } = await sql<MarkRow>`
      select pupil_id, school_urn, date::text as date, session, code, recorded_at
      from (
        select pupil_id, school_urn, date, session, code, recorded_at, recorded_position from attendance_marks_superseded
        where pupil_id = ${pupilId} and date between ${start} and ${end}
        union all
        select pupil_id, school_urn, date, session, code, recorded_at, recorded_position from attendance_marks
        where pupil_id = ${pupilId} and date between ${start} and ${end}
      ) as version
      order by recorded_position`.execute(this.#db);
    return rows.map(toMark);
  }
}
