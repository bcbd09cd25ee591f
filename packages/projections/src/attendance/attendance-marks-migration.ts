import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const attendanceMarksMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // The key leads with pupil and date, not school: uploads look marks up by (pupil, date) and
    // trends by pupil and a date range, both across the schools of a dual-registered pupil.
    await sql`
      create table attendance_marks (
        tenant text not null,
        pupil_id uuid not null,
        school_urn text not null,
        date date not null,
        session text not null check (session in ('AM', 'PM')),
        code text not null,
        recorded_at timestamptz not null,
        constraint attendance_marks_pk primary key (pupil_id, date, session, school_urn)
      )`.execute(db);
  },
};
