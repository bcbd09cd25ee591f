import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { UPN_UNIQUE_INDEX } from './pupil-directory-projection.ts';

/**
 * The directory keeps a UPN only as its keyed hash, unique within a tenant. Until the records are
 * sealed (docs/architecture.md, "Personal data at rest"), rows written before carry the plain UPN in
 * that column, as a store with no master key does.
 */
export const pupilDirectoryUpnHashMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`drop index ${sql.id(UPN_UNIQUE_INDEX)}`.execute(db);
    await sql`alter table pupil_directory rename column upn to upn_hash`.execute(db);
    await sql`alter table pupil_directory alter column upn_hash drop not null`.execute(db);
    await sql`create unique index ${sql.id(UPN_UNIQUE_INDEX)} on pupil_directory (tenant, upn_hash)`.execute(db);
  },
};
