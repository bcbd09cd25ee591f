import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MigrationSet, pendingMigrations } from '../../src/migrations/migrate.ts';
import { createPGliteTestStorage } from '../../src/pglite/pglite-template.ts';
import type { SqlStorage } from '../../src/sql/create-sql-event-store.ts';
import { sequentialUuids, testEvent } from '../../src/testing/index.ts';

const tableA: Migration = {
  async up(db) {
    await sql`create table template_test_a (id integer primary key)`.execute(db);
  },
};
const tableB: Migration = {
  async up(db) {
    await sql`create table template_test_b (id integer primary key)`.execute(db);
  },
};
const tableAEdited: Migration = {
  async up(db) {
    await sql`create table template_test_a (id integer primary key, note text)`.execute(db);
  },
};
const withA: MigrationSet[] = [{ name: 'template_test', migrations: { '0001-a': tableA } }];

async function tablesOf(db: Kysely<object>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = 'public' order by table_name
  `.execute(db);
  return rows.map((row) => row.name);
}

async function columnsOf(db: Kysely<object>, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select column_name as name from information_schema.columns where table_name = ${table} order by ordinal_position
  `.execute(db);
  return rows.map((row) => row.name);
}

describe('createPGliteTestStorage', () => {
  const nextId = sequentialUuids();
  let first: SqlStorage;
  let second: SqlStorage;

  beforeAll(async () => {
    first = await createPGliteTestStorage({ extraMigrations: withA });
    second = await createPGliteTestStorage({ extraMigrations: withA });
  }, 120_000);
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('opens a copy of the cached template, not a fresh initdb', async () => {
    const { rows } = await sql<{ walSegment: string; sharedBuffers: string }>`
      select current_setting('wal_segment_size') as "walSegment", current_setting('shared_buffers') as "sharedBuffers"
    `.execute(first.db);
    expect(rows).toEqual([{ walSegment: '1MB', sharedBuffers: '16MB' }]);
  });

  it('opens an empty database with every migration applied', async () => {
    expect(await first.store.isReady()).toBe(true);
    expect(await pendingMigrations(first.db, withA)).toEqual([]);
    expect(await tablesOf(first.db)).toEqual(
      expect.arrayContaining(['events', 'event_store_migrations', 'template_test_a', 'template_test_migrations']),
    );
    expect((await first.store.readAll()).events).toEqual([]);
    const { rows } = await sql<{ count: bigint }>`select count(*) as count from template_test_a`.execute(first.db);
    expect(rows).toEqual([{ count: 0n }]);
  });

  it('gives each opener a database of its own', async () => {
    await first.store.append('independent', [testEvent(nextId())], { expectedVersion: 'no_stream' });
    expect(await first.store.streamVersion('independent')).toBe(1);
    expect(await second.store.streamVersion('independent')).toBe(0);
    expect((await second.store.readAll()).events).toEqual([]);

    const event = testEvent(nextId());
    await second.store.append('independent', [event], { expectedVersion: 'no_stream' });
    expect((await second.store.readStream('independent')).map((stored) => stored.id)).toEqual([event.id]);
    expect(await first.store.streamVersion('independent')).toBe(1);
  });

  it('applies a migration added to a set and one edited in place', async () => {
    const added = await createPGliteTestStorage({
      extraMigrations: [{ name: 'template_test', migrations: { '0001-a': tableA, '0002-b': tableB } }],
    });
    const edited = await createPGliteTestStorage({
      extraMigrations: [{ name: 'template_test', migrations: { '0001-a': tableAEdited } }],
    });
    try {
      expect(await tablesOf(added.db)).toEqual(expect.arrayContaining(['template_test_a', 'template_test_b']));
      expect(await tablesOf(edited.db)).not.toContain('template_test_b');
      expect(await columnsOf(edited.db, 'template_test_a')).toEqual(['id', 'note']);
    } finally {
      await added.close();
      await edited.close();
    }
  }, 120_000);
});
