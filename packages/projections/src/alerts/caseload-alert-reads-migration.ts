import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Indexes for the pages officers ask for most: a kind's alerts in page order, and a school's (found
 * through the school URNs the plan takes part in, then sorted: a school has a few dozen alerts).
 */
export const caseloadAlertReadsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index caseload_alerts_kind_page on caseload_alerts (tenant, kind, since, plan_id)`.execute(db);
    await sql`create index caseload_alerts_schools on caseload_alerts using gin (school_urns jsonb_path_ops)`.execute(
      db,
    );
  },
};
