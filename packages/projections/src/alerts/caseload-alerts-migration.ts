import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const caseloadAlertsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // The plans the scheduled evaluation walks, with the one fact alerts need that the plan's
    // state does not keep: the latest family contact.
    await sql`
      create table caseload_alert_plans (
        plan_id uuid primary key,
        tenant text not null,
        pupil_id uuid not null,
        open boolean not null,
        last_family_contact_on date
      )`.execute(db);
    await sql`create index caseload_alert_plans_open on caseload_alert_plans (plan_id) where open`.execute(db);
    await sql`
      create table caseload_alerts (
        plan_id uuid not null,
        kind text not null,
        tenant text not null,
        school_urn text not null,
        school_urns jsonb not null,
        reason text not null,
        since date not null,
        raised_at timestamptz not null,
        constraint caseload_alerts_pk primary key (plan_id, kind)
      )`.execute(db);
    await sql`create index caseload_alerts_page on caseload_alerts (tenant, since, plan_id, kind)`.execute(db);
    await sql`
      create table caseload_alert_history (
        plan_id uuid not null,
        kind text not null,
        tenant text not null,
        school_urn text not null,
        school_urns jsonb not null,
        reason text not null,
        since date not null,
        raised_at timestamptz not null,
        cleared_at timestamptz,
        constraint caseload_alert_history_pk primary key (plan_id, kind, raised_at)
      )`.execute(db);
  },
};
