import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Personal fields leave the plan's view and its attempts for a column of their own, sealed under the
 * pupil's key, so that erasing the pupil reaches the read models too. Rows written before keep them
 * in place until the plan's next event, or until the records are sealed (docs/architecture.md).
 */
export const planViewsPersonalMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table plan_views add column personal jsonb`.execute(db);
    await sql`alter table plan_step_attempts add column personal jsonb`.execute(db);
  },
};
