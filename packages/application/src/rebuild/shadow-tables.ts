import { type Kysely, sql } from 'kysely';

/**
 * Fresh copies of a projection's tables in a schema of their own, with the live tables' names, so
 * that the projection's unqualified SQL writes into them when the shadow schema comes first in
 * `search_path`, and so that every index and constraint keeps its name (the code that recognises a
 * unique violation by its index's name goes on working after the switch).
 */
export class ShadowTables {
  readonly live: string;
  readonly shadow: string;
  readonly tables: readonly string[];

  constructor(live: string, shadow: string, tables: readonly string[]) {
    this.live = live;
    this.shadow = shadow;
    this.tables = tables;
  }

  /** Makes the empty copies: columns, defaults and checks, without keys or indexes. */
  async create(db: Kysely<object>): Promise<void> {
    await this.drop(db);
    await sql`create schema ${sql.id(this.shadow)}`.execute(db);
    for (const table of this.tables) {
      await sql`create table ${sql.id(this.shadow, table)}
        (like ${sql.id(this.live, table)} including all excluding indexes)`.execute(db);
    }
  }

  /**
   * The primary keys and unique constraints, with their names: before the first write that needs
   * them (an upsert's `on conflict`, a lookup by key), or else once the rows are in, since one sort
   * of a full table costs far less than keeping an index bigger than the cache up row by row.
   * Rows that break one (as no append could have written) make the rebuild fail here.
   */
  async addKeys(db: Kysely<object>): Promise<void> {
    for (const table of this.tables) {
      const { rows } = await sql<{ name: string; definition: string }>`
        select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
        where conrelid = ${this.#regclass(this.live, table)}::regclass and contype in ('p', 'u', 'x')
        order by conname`.execute(db);
      for (const { name, definition } of rows) {
        await sql`alter table ${sql.id(this.shadow, table)} add constraint ${sql.id(name)} ${sql.raw(definition)}`.execute(
          db,
        );
      }
    }
  }

  /** The other indexes, built once the rows are in (faster than keeping them up row by row). */
  async index(db: Kysely<object>): Promise<void> {
    for (const table of this.tables) {
      const { rows } = await sql<{ original: string; definition: string }>`
        select pg_get_indexdef(i.indexrelid) as original, replace(pg_get_indexdef(i.indexrelid),
          ' ON ' || ${this.#regclass(this.live, table)} || ' ',
          ' ON ' || ${this.#regclass(this.shadow, table)} || ' ') as definition
        from pg_index i
        where i.indrelid = ${this.#regclass(this.live, table)}::regclass
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid)
        order by i.indexrelid`.execute(db);
      for (const { original, definition } of rows) {
        if (definition === original) throw new Error(`Cannot copy an index of ${table} to the rebuild: ${original}`);
        await sql.raw(definition).execute(db);
      }
    }
  }

  /**
   * Runs `work` inside the caller's transaction with the shadow schema first in `search_path`
   * (until the transaction ends), so the projection's writes and reads of its tables go to the copies.
   */
  async within<T>(trx: Kysely<object>, work: () => Promise<T>): Promise<T> {
    await sql`select set_config('search_path', quote_ident(${this.shadow}::text) || ', ' || current_setting('search_path'), true)`.execute(
      trx,
    );
    return work();
  }

  /** Inside the switching transaction: the live tables go, the copies take their place and names. */
  async switchIn(trx: Kysely<object>): Promise<void> {
    for (const table of this.tables) {
      await sql`drop table ${sql.id(this.live, table)}`.execute(trx);
      await sql`alter table ${sql.id(this.shadow, table)} set schema ${sql.id(this.live)}`.execute(trx);
    }
    await sql`drop schema ${sql.id(this.shadow)}`.execute(trx);
  }

  async drop(db: Kysely<object>): Promise<void> {
    await sql`drop schema if exists ${sql.id(this.shadow)} cascade`.execute(db);
  }

  /** The table's name as the catalog prints it (and as `::regclass` reads it). */
  #regclass(schema: string, table: string) {
    return sql<string>`format('%I.%I', ${schema}::text, ${table}::text)`;
  }
}
