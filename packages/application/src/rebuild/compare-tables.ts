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

/** Key ranges the rows are hashed into: a difference makes its range be compared row by row. */
const BUCKETS = 1024;

/**
 * Compares a table with its rebuilt copy. Each side's rows are hashed (column by column, with each
 * type's hash, so values equal by `=` hash alike) and summed up as their count and the XOR of their
 * hashes: a scan of each table, without sorting or joining them. If the sums differ, they are taken
 * again per range of keys, and only the ranges that do not agree are joined on the primary key and
 * compared row by row as records, to count every difference and return the first `limit` in key
 * order. Rows are unique (they hold their key), so a difference goes unseen only if other rows
 * happen to give the same count and XOR of 64-bit hashes: about one chance in 2⁶⁴. Every column's
 * type needs a hash function (`json` or `point` have none).
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
  const sums = (schema: string) =>
    sql`(select count(*) as n, bit_xor(hash_record_extended(t, 0)) as x from ${sql.id(schema, table)} t)`;
  // The whole table first: a table that agrees (the usual case) costs one scan of each side.
  const { rows: whole } = await sql<{ live: number; rebuilt: number; agree: boolean }>`
    select l.n::int as live, r.n::int as rebuilt, l.n = r.n and l.x is not distinct from r.x as agree
    from ${sums(live)} l cross join ${sums(rebuilt)} r`.execute(db);
  const { live: liveRows, rebuilt: rebuiltRows, agree } = whole[0]!;
  if (agree) return { table, liveRows, rebuiltRows, differing: 0, differences: [] };
  const bucketOf = (alias: string) =>
    sql`(hash_record_extended(row(${sql.join(key.map((c) => sql.ref(`${alias}.${c}`)))}), 0) & ${sql.lit(BUCKETS - 1)})`;
  const digests = (schema: string) => sql`
    select ${bucketOf('t')} as bucket, count(*) as n, bit_xor(hash_record_extended(t, 0)) as x
    from ${sql.id(schema, table)} t group by 1`;
  const { rows: digest } = await sql<{ buckets: number[] }>`
    select coalesce(array_agg(coalesce(l.bucket, r.bucket)) filter (where l.n is distinct from r.n or l.x is distinct from r.x),
        '{}')::int[] as buckets
    from (${digests(live)}) l full join (${digests(rebuilt)}) r on l.bucket = r.bucket`.execute(db);
  const { buckets } = digest[0]!;
  const l = (column: string) => sql.ref(`l.${column}`);
  const r = (column: string) => sql.ref(`r.${column}`);
  const inBuckets = (schema: string) =>
    sql`(select * from ${sql.id(schema, table)} t where ${bucketOf('t')} in (select unnest(${buckets}::int[])))`;
  const joined = sql`${inBuckets(live)} l full join ${inBuckets(rebuilt)} r
    on ${sql.join(
      key.map((c) => sql`${l(c)} = ${r(c)}`),
      sql` and `,
    )}`;
  // Rows compare column by column as records (no row is turned into JSON unless it is listed).
  const { rows: counts } = await sql<{ differing: number }>`
    select (count(*) filter (where l is distinct from r))::int as differing from ${joined}`.execute(db);
  const { differing } = counts[0]!;
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
