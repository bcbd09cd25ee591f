import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/event-store.ts';
import { type MigrationSet, pendingMigrations } from '../../src/migrations/migrate.ts';
import { createPGliteTestStore } from '../../src/pglite/pglite-template.ts';
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

async function tablesOf(store: EventStore): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = 'public' order by table_name
  `.execute(store.db);
  return rows.map((row) => row.name);
}

async function columnsOf(store: EventStore, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select column_name as name from information_schema.columns where table_name = ${table} order by ordinal_position
  `.execute(store.db);
  return rows.map((row) => row.name);
}

describe('createPGliteTestStore', () => {
  const nextId = sequentialUuids();
  let first: EventStore;
  let second: EventStore;

  beforeAll(async () => {
    first = await createPGliteTestStore({ extraMigrations: withA });
    second = await createPGliteTestStore({ extraMigrations: withA });
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
    expect(await first.isReady()).toBe(true);
    expect(await pendingMigrations(first.db, withA)).toEqual([]);
    expect(await tablesOf(first)).toEqual(
      expect.arrayContaining(['events', 'event_store_migrations', 'template_test_a', 'template_test_migrations']),
    );
    expect((await first.readAll()).events).toEqual([]);
    const { rows } = await sql<{ count: bigint }>`select count(*) as count from template_test_a`.execute(first.db);
    expect(rows).toEqual([{ count: 0n }]);
  });

  it('gives each opener a database of its own', async () => {
    await first.append('independent', [testEvent(nextId())], { expectedVersion: 'no_stream' });
    expect(await first.streamVersion('independent')).toBe(1);
    expect(await second.streamVersion('independent')).toBe(0);
    expect((await second.readAll()).events).toEqual([]);

    const event = testEvent(nextId());
    await second.append('independent', [event], { expectedVersion: 'no_stream' });
    expect((await second.readStream('independent')).map((stored) => stored.id)).toEqual([event.id]);
    expect(await first.streamVersion('independent')).toBe(1);
  });

  it('applies a migration added to a set and one edited in place', async () => {
    const added = await createPGliteTestStore({
      extraMigrations: [{ name: 'template_test', migrations: { '0001-a': tableA, '0002-b': tableB } }],
    });
    const edited = await createPGliteTestStore({
      extraMigrations: [{ name: 'template_test', migrations: { '0001-a': tableAEdited } }],
    });
    try {
      expect(await tablesOf(added)).toEqual(expect.arrayContaining(['template_test_a', 'template_test_b']));
      expect(await tablesOf(edited)).not.toContain('template_test_b');
      expect(await columnsOf(edited, 'template_test_a')).toEqual(['id', 'note']);
    } finally {
      await added.close();
      await edited.close();
    }
  }, 120_000);
});
