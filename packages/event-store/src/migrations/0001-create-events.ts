import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The append-only log (docs/architecture.md, "Event store"). */
export const createEvents: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table events (
        position bigint generated always as identity primary key,
        stream_id text not null,
        stream_version integer not null check (stream_version >= 1),
        event_id uuid not null,
        type text not null,
        schema_version integer not null,
        data jsonb not null,
        personal jsonb,
        metadata jsonb not null,
        recorded_at timestamptz not null,
        transaction_id xid8 not null default pg_current_xact_id(),
        previous_hash text,
        hash text not null,
        constraint events_stream_version_unique unique (stream_id, stream_version),
        constraint events_event_id_unique unique (event_id)
      )
    `.execute(db);
    // readAll walks the log in (transaction id, position) order.
    await sql`create index events_transaction_position on events (transaction_id, position)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table events`.execute(db);
  },
};
