import type { NodeSource, SubtreeId } from '@small-steps/event-store';
import { type Kysely, type RawBuilder, sql } from 'kysely';

export const nodeKey = ({ level, index }: SubtreeId): string => `${level}/${index}`;

/** Runs a read: a projection's transaction, or the database. */
export type SelectRows = <Row>(statement: RawBuilder<Row>) => Promise<Row[]>;

export const selectFrom =
  (db: Kysely<object>): SelectRows =>
  async (statement) =>
    (await statement.execute(db)).rows;

/** Reads the tenant's stored subtrees asked for, in one query, as a {@link NodeSource}. */
export async function readNodes(select: SelectRows, tenant: string, ids: readonly SubtreeId[]): Promise<NodeSource> {
  const unique = [...new Map(ids.map((id) => [nodeKey(id), id])).values()];
  const found = new Map<string, Buffer>();
  if (unique.length > 0) {
    const wanted = sql.join(unique.map((id) => sql`(${id.level}::smallint, ${id.index}::bigint)`));
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
