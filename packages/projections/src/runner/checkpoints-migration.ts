import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Where each projection run from the log has got to, written in the transaction of the writes it
 * covers, and why it stopped when a handler failed.
 */
export const projectionCheckpointsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table projection_checkpoints (
        name text primary key,
        position text not null,
        events_applied bigint not null default 0,
        updated_at timestamptz not null,
        failed_position text,
        failed_event_id uuid,
        failed_event_type text,
        error text,
        failed_at timestamptz
      )`.execute(db);
  },
};

export interface ProjectionCheckpointsTable {
  name: string;
  position: string;
  events_applied: bigint;
  updated_at: Date;
  failed_position: string | null;
  failed_event_id: string | null;
  failed_event_type: string | null;
  error: string | null;
  failed_at: Date | null;
}

export type ProjectionCheckpointsSchema = { projection_checkpoints: ProjectionCheckpointsTable };
