import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Marks the weeks of a pupil who is on more than one school's roll in the academic year, so the
 * year-group view can count such a pupil once by folding only their few weeks together, instead of
 * folding every pupil's weeks (docs/domain.md §3 "Analytics").
 */
export const analyticsOtherRollsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table analytics_attendance_weeks add column on_other_roll boolean not null default false`.execute(
      db,
    );
    await sql`
      update analytics_attendance_weeks w set on_other_roll = true
      where exists (
        select 1 from analytics_attendance_weeks o
        where o.tenant = w.tenant and o.pupil_key = w.pupil_key and o.academic_year = w.academic_year
          and o.school_urn <> w.school_urn)`.execute(db);
  },
};
