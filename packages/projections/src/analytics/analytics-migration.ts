import { type Generated, type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The analytics tables hold no pupil or plan id, no name, UPN, date of birth or free text: a pupil
 * and a plan appear only as a keyed pseudonym (`pupil_key`, `plan_key`), which joins a plan to its
 * pupil's year group, need and register, and cannot be turned back into an id without the tenant's key.
 */
export const analyticsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table analytics_pupils (
        tenant text not null,
        pupil_key text not null,
        year_group text not null,
        primary_need text,
        constraint analytics_pupils_pk primary key (tenant, pupil_key)
      )`.execute(db);
    await sql`
      create table analytics_plans (
        tenant text not null,
        plan_key text not null,
        pupil_key text not null,
        school_urn text not null,
        status text not null,
        opened_on date not null,
        first_mastered_on date,
        closed_on date,
        outcome text,
        constraint analytics_plans_pk primary key (tenant, plan_key)
      )`.execute(db);
    await sql`
      create table analytics_attendance_sessions (
        tenant text not null,
        pupil_key text not null,
        school_urn text not null,
        date date not null,
        session text not null,
        code text not null,
        constraint analytics_attendance_sessions_pk primary key (tenant, pupil_key, school_urn, date, session)
      )`.execute(db);
    await sql`
      create table analytics_attendance_weeks (
        tenant text not null,
        pupil_key text not null,
        school_urn text not null,
        academic_year integer not null,
        week_start date not null,
        possible integer not null,
        attended integer not null,
        persistent_absence boolean not null,
        severe_absence boolean not null,
        constraint analytics_attendance_weeks_pk primary key (tenant, pupil_key, school_urn, week_start)
      )`.execute(db);
    await sql`create index analytics_attendance_weeks_by_week on analytics_attendance_weeks (tenant, academic_year, week_start)`.execute(
      db,
    );
  },
};

export type AnalyticsSchema = {
  analytics_pupils: { tenant: string; pupil_key: string; year_group: string; primary_need: string | null };
  analytics_plans: {
    tenant: string;
    plan_key: string;
    pupil_key: string;
    school_urn: string;
    status: 'gathering' | 'active' | 'paused' | 'closed';
    opened_on: string;
    first_mastered_on: string | null;
    closed_on: string | null;
    outcome: string | null;
  };
  analytics_attendance_sessions: {
    tenant: string;
    pupil_key: string;
    school_urn: string;
    date: string;
    session: string;
    code: string;
  };
  analytics_attendance_weeks: {
    tenant: string;
    pupil_key: string;
    school_urn: string;
    academic_year: number;
    week_start: string;
    possible: number;
    attended: number;
    persistent_absence: boolean;
    severe_absence: boolean;
    /** The pupil has weeks at another school in the same academic year (`0018_analytics_other_rolls`). */
    on_other_roll: Generated<boolean>;
  };
};
