import { MAX_ACCESS_REASON_LENGTH } from '@small-steps/contracts';
import { type ColumnType, type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Longest route pattern stored: the API's longest is far shorter. */
const MAX_ACCESS_ROUTE = 200;

/**
 * Who read which pupil's record, through which route, when and why. Append-only: a trigger refuses
 * every update, delete and truncate, so not even a bug in this service can rewrite what was read.
 * It is not a read model: nothing rebuilds it from the log.
 */
export const accessLogMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table access_log (
        id bigint generated always as identity primary key,
        tenant text not null,
        at timestamptz not null,
        actor_id text not null,
        actor_role text not null,
        pupil_id uuid,
        plan_id uuid,
        route text not null check (char_length(route) <= ${sql.lit(MAX_ACCESS_ROUTE)}),
        reason text check (char_length(reason) <= ${sql.lit(MAX_ACCESS_REASON_LENGTH)})
      )`.execute(db);
    await sql`create index access_log_tenant_page on access_log (tenant, id)`.execute(db);
    await sql`create index access_log_tenant_pupil_page on access_log (tenant, pupil_id, id)`.execute(db);
    await sql`
      create function access_log_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'access_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end
      $$`.execute(db);
    await sql`
      create trigger access_log_append_only before update or delete on access_log
      for each row execute function access_log_refuse_change()`.execute(db);
    await sql`
      create trigger access_log_no_truncate before truncate on access_log
      for each statement execute function access_log_refuse_change()`.execute(db);
  },
};

export interface AccessLogTable {
  id: ColumnType<bigint, never, never>;
  tenant: string;
  at: Date;
  actor_id: string;
  actor_role: string;
  pupil_id: string | null;
  plan_id: string | null;
  route: string;
  reason: string | null;
}

export type AccessLogSchema = { access_log: AccessLogTable };
