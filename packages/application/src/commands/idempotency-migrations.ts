import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { personalDataKeysMigration } from '../personal-data/personal-data-migrations.ts';

/**
 * The application's tables: idempotency records, written in the append's statement. The set keeps
 * the name it had when the HTTP service owned it, so databases that applied it do not apply it again.
 */
export const applicationMigrations: { name: string; migrations: Record<string, Migration> } = {
  name: 'api',
  migrations: {
    '0002_personal_data_keys': personalDataKeysMigration,
    '0001_idempotency_records': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('idempotency_records')
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('caller', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('request_hash', 'text', (c) => c.notNull())
          .addColumn('status_code', 'integer', (c) => c.notNull())
          .addColumn('response', 'jsonb', (c) => c.notNull())
          .addColumn('etag', 'text')
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addPrimaryKeyConstraint('idempotency_records_pk', ['tenant', 'caller', 'key'])
          .execute();
      },
    },
  },
};

export interface IdempotencyRecordsTable {
  tenant: string;
  caller: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: unknown;
  etag: string | null;
  created_at: Date;
}
