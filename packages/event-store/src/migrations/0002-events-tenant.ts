import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Each event's tenant, the LA code of the caller who recorded it, as a column of its own, and an
 * index that walks one tenant's part of the log in log order: a change feed reads its caller's
 * tenant without passing over every other LA's events (docs/architecture.md, "The change feed").
 * Adding a stored generated column rewrites the table under an exclusive lock, once.
 */
export const eventsTenant: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table events add column tenant text generated always as (metadata->'actor'->>'tenant') stored`.execute(
      db,
    );
    await sql`create index events_tenant_transaction_position on events (tenant, transaction_id, position)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table events drop column tenant`.execute(db);
  },
};
