import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { AuditPendingHeadsTable } from './audit-pending-heads-migration.ts';

/**
 * Each tenant's audit tree: its leaves (which event is at which index, and its leaf hash: the
 * subtrees of level 0), its completed nodes above them (so a proof reads O(log n) rows), and its
 * signed heads.
 */
export const auditTreeMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table audit_leaves (
        tenant text not null,
        leaf_index bigint not null,
        event_id uuid not null,
        stream_id text not null,
        version integer not null,
        event_hash text not null,
        leaf_hash bytea not null,
        constraint audit_leaves_pk primary key (tenant, leaf_index)
      )`.execute(db);
    await sql`create index audit_leaves_event on audit_leaves (tenant, event_id)`.execute(db);
    // A stream's last signed event, for verifying the stream against its latest checkpoint.
    await sql`create index audit_leaves_stream on audit_leaves (tenant, stream_id, version)`.execute(db);
    await sql`
      create table audit_nodes (
        tenant text not null,
        level smallint not null,
        index bigint not null,
        hash bytea not null,
        constraint audit_nodes_pk primary key (tenant, level, index)
      )`.execute(db);
    await sql`
      create table audit_checkpoints (
        tenant text not null,
        tree_size bigint not null,
        root_hash text not null,
        head_timestamp text not null,
        key_id text not null,
        signature text not null,
        constraint audit_checkpoints_pk primary key (tenant, tree_size)
      )`.execute(db);
  },
};

export interface AuditLeavesTable {
  tenant: string;
  leaf_index: string;
  event_id: string;
  stream_id: string;
  version: number;
  event_hash: string;
  leaf_hash: Buffer;
}

export interface AuditNodesTable {
  tenant: string;
  level: number;
  index: string;
  hash: Buffer;
}

export interface AuditCheckpointsTable {
  tenant: string;
  tree_size: string;
  root_hash: string;
  /** Text, not timestamptz: the exact ISO string that was signed. */
  head_timestamp: string;
  key_id: string;
  signature: string;
}

export type AuditTreeSchema = {
  audit_leaves: AuditLeavesTable;
  audit_nodes: AuditNodesTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_pending_heads: AuditPendingHeadsTable;
};
