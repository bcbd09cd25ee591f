import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The unique index that keeps `one-open-plan` across plan streams. */
export const ONE_OPEN_PLAN_INDEX = 'plan_views_one_open_plan';

export const planViewsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('plan_views')
      .addColumn('plan_id', 'uuid', (c) => c.primaryKey())
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('pupil_id', 'uuid', (c) => c.notNull())
      .addColumn('school_urns', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('view', 'jsonb', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('opened_position', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    // A decider sees one plan, so one open plan per pupil is kept here, in the append's transaction.
    await sql`create unique index ${sql.id(ONE_OPEN_PLAN_INDEX)} on plan_views (tenant, pupil_id) where status <> 'closed'`.execute(
      db,
    );
    await sql`create index plan_views_school_urns on plan_views using gin (school_urns jsonb_path_ops)`.execute(db);
    await db.schema
      .createIndex('plan_views_tenant_page')
      .on('plan_views')
      .columns(['tenant', 'opened_position'])
      .execute();
  },
};
