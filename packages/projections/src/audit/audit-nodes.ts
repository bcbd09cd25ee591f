import type { NodeSource, SubtreeId } from '@small-steps/event-store';
import { type Kysely, type RawBuilder, sql } from 'kysely';

export const nodeKey = ({ level, index }: SubtreeId): string => `${level}/${index}`;

/** Runs a read: a projection's transaction, or the database. */
export type SelectRows = <Row>(statement: RawBuilder<Row>) => Promise<Row[]>;

export const selectFrom =
  (db: Kysely<object>): SelectRows =>
  async (statement) =>
    (await statement.execute(db)).rows;

/** Reads the tenant's stored subtrees asked for (leaves from audit_leaves), as a {@link NodeSource}. */
export async function readNodes(select: SelectRows, tenant: string, ids: readonly SubtreeId[]): Promise<NodeSource> {
  const unique = [...new Map(ids.map((id) => [nodeKey(id), id])).values()];
  const found = new Map<string, Buffer>();
  const leaves = unique.filter((id) => id.level === 0);
  const above = unique.filter((id) => id.level > 0);
  if (leaves.length > 0) {
    const rows = await select(sql<{ index: string; hash: Uint8Array }>`
      select leaf_index::text as index, leaf_hash as hash from audit_leaves
      where tenant = ${tenant} and leaf_index = any(${leaves.map((id) => String(id.index))}::bigint[])`);
    for (const row of rows) found.set(`0/${row.index}`, Buffer.from(row.hash));
  }
  if (above.length > 0) {
    const wanted = sql.join(above.map((id) => sql`(${id.level}::smallint, ${id.index}::bigint)`));
    const rows = await select(sql<{ level: number; index: string; hash: Uint8Array }>`
      select level, index::text as index, hash from audit_nodes
      where tenant = ${tenant} and (level, index) in (${wanted})`);
    for (const row of rows) found.set(`${row.level}/${row.index}`, Buffer.from(row.hash));
  }
  return (id) => {
    const hash = found.get(nodeKey(id));
    if (hash === undefined) throw new Error(`The audit tree of ${tenant} has no node ${nodeKey(id)}.`);
    return hash;
  };
}
