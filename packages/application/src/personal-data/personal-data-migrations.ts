import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Data keys: one per pupil and retention class, wrapped by the master key; destroying one (erasure)
 * leaves the row with no key, so the record shows when and that it was destroyed. Tenant keys for
 * the keyed hash of UPNs.
 */
export const personalDataKeysMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table personal_data_keys (
        subject uuid not null,
        class text not null,
        tenant text not null,
        master_key_id text,
        wrapped text,
        created_at timestamptz not null default now(),
        destroyed_at timestamptz,
        constraint personal_data_keys_pk primary key (subject, class)
      )`.execute(db);
    await sql`
      create table tenant_keys (
        tenant text not null,
        purpose text not null,
        master_key_id text not null,
        wrapped text not null,
        created_at timestamptz not null default now(),
        constraint tenant_keys_pk primary key (tenant, purpose)
      )`.execute(db);
  },
};

export interface PersonalDataKeysTable {
  subject: string;
  class: string;
  tenant: string;
  master_key_id: string | null;
  wrapped: string | null;
  created_at: Date;
  destroyed_at: Date | null;
}

export interface TenantKeysTable {
  tenant: string;
  purpose: string;
  master_key_id: string;
  wrapped: string;
  created_at: Date;
}

export type PersonalDataKeysSchema = { personal_data_keys: PersonalDataKeysTable; tenant_keys: TenantKeysTable };
