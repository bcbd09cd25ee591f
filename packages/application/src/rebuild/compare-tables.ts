import { type Kysely, sql } from 'kysely';

/**
 * A row that is not the same in the live table and the rebuilt one, named by its primary key:
 * `missing` (rebuilt, not live), `extra` (live, not rebuilt) or `differs` (in which columns). Values
 * are never given: they may be personal.
 */
export interface RowDifference {
  table: string;
  key: Record<string, unknown>;
  kind: 'missing' | 'extra' | 'differs';
  columns: string[];
}

/** How one table compared: its rows live and rebuilt, how many differ, and the first of them. */
export interface TableComparison {
  table: string;
  liveRows: number;
  rebuiltRows: number;
  differing: number;
  differences: RowDifference[];
}

/**
 * Compares a table with its rebuilt copy row by row, joined on the primary key, in one statement:
 * counts every difference and returns the first `limit` in key order.
 */
export async function compareTables(
  db: Kysely<object>,
  { live, rebuilt, table, limit }: { live: string; rebuilt: string; table: string; limit: number },
): Promise<TableComparison> {
  const { rows: keyRows } = await sql<{ column: string }>`
    select a.attname as column
    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = format('%I.%I', ${live}::text, ${table}::text)::regclass and i.indisprimary
    order by array_position(i.indkey::int2[], a.attnum)`.execute(db);
  const key = keyRows.map((row) => row.column);
  if (key.length === 0) throw new Error(`${table} has no primary key: its rows cannot be compared.`);
  const l = (column: string) => sql.ref(`l.${column}`);
  const r = (column: string) => sql.ref(`r.${column}`);
  const joined = sql`${sql.id(live, table)} l full join ${sql.id(rebuilt, table)} r
    on ${sql.join(
      key.map((c) => sql`${l(c)} = ${r(c)}`),
      sql` and `,
    )}`;
  // Rows compare column by column as records (no row is turned into JSON unless it is listed).
  const { rows: counts } = await sql<{ live: number; rebuilt: number; differing: number }>`
    select count(${l(key[0]!)})::int as live, count(${r(key[0]!)})::int as rebuilt,
      (count(*) filter (where l is distinct from r))::int as differing
    from ${joined}`.execute(db);
  const { live: liveRows, rebuilt: rebuiltRows, differing } = counts[0]!;
  if (differing === 0) return { table, liveRows, rebuiltRows, differing, differences: [] };
  const { rows } = await sql<{ key: Record<string, unknown>; kind: RowDifference['kind']; columns: string[] }>`
    select jsonb_build_object(${sql.join(key.map((c) => sql`${sql.lit(c)}::text, coalesce(${l(c)}, ${r(c)})`))}) as key,
      case when ${l(key[0]!)} is null then 'missing' when ${r(key[0]!)} is null then 'extra' else 'differs' end as kind,
      case when ${l(key[0]!)} is null or ${r(key[0]!)} is null then '{}'::text[] else (
        select coalesce(array_agg(column_name order by column_name), '{}')
        from (
          select coalesce(a.key, b.key) as column_name, a.value as was, b.value as now
          from jsonb_each(to_jsonb(l)) a full join jsonb_each(to_jsonb(r)) b on a.key = b.key
        ) as pair
        where was is distinct from now
      ) end as columns
    from ${joined}
    where l is distinct from r
    order by 1
    limit ${limit}`.execute(db);
  return { table, liveRows, rebuiltRows, differing, differences: rows.map((row) => ({ table, ...row })) };
}
