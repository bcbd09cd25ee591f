import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const attendanceMarksSupersededMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // Written only when a mark is corrected, so a day's first marks cost nothing here. The identity
    // keeps the order marks were replaced in, which a writer's clock cannot reorder.
    await sql`
      create table attendance_marks_superseded (
        position bigint generated always as identity primary key,
        tenant text not null,
        pupil_id uuid not null,
        school_urn text not null,
        date date not null,
        session text not null,
        code text not null,
        recorded_at timestamptz not null
      )`.execute(db);
    await sql`create index attendance_marks_superseded_pupil_date on attendance_marks_superseded (pupil_id, date)`.execute(
      db,
    );
  },
};
