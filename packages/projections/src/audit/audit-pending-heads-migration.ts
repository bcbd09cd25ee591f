import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * A tenant's tree head that is not signed yet (checkpoints are signed at an interval, not after
 * every batch): what the next signature will say, how far the last one went, and when the oldest
 * event it does not cover was recorded, which bounds how long it may wait.
 */
export const auditPendingHeadsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table audit_pending_heads (
        tenant text not null,
        tree_size bigint not null,
        root_hash text not null,
        head_timestamp text not null,
        signed_size bigint not null,
        oldest_unsigned_at timestamptz not null,
        constraint audit_pending_heads_pk primary key (tenant)
      )`.execute(db);
  },
};

export interface AuditPendingHeadsTable {
  tenant: string;
  tree_size: string;
  root_hash: string;
  head_timestamp: string;
  signed_size: string;
  oldest_unsigned_at: Date;
}
