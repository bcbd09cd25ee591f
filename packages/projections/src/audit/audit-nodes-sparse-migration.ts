import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The audit trees keep only every fourth level of nodes (`STORED_LEVEL_STEP`); the levels between
 * are hashed from those when a proof needs them. A tree built before kept every level: the others
 * go, so a tree equals its rebuild.
 */
export const auditNodesSparseMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`delete from audit_nodes where level % 4 <> 0`.execute(db);
  },
};
