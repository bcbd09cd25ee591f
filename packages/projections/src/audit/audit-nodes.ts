import { type NodeSource, nodeHash, type SubtreeId } from '@small-steps/event-store';
import { type Kysely, type RawBuilder, sql } from 'kysely';

export const nodeKey = ({ level, index }: SubtreeId): string => `${level}/${index}`;

/**
 * Only every fourth level of a tree is stored: the leaves (level 0, in audit_leaves) and levels 4,
 * 8, 12, … in audit_nodes. A subtree between is hashed from the at most 8 stored ones under it, so
 * a tree keeps about n/15 node rows instead of n (storing them was a third of building the tree)
 * while a proof still reads O(log n) rows.
 */
export const STORED_LEVEL_STEP = 4;

export const isStoredLevel = (level: number): boolean => level % STORED_LEVEL_STEP === 0;

/** The stored subtrees whose hashes make up `id`, left to right (itself, when its level is stored). */
export function storedUnder({ level, index }: SubtreeId): SubtreeId[] {
  const base = level - (level % STORED_LEVEL_STEP);
  const width = 2 ** (level - base);
  return Array.from({ length: width }, (_, i) => ({ level: base, index: index * width + i }));
}

/** A perfect subtree's hash from the hashes of its 2^k aligned parts at one level, left to right. */
function foldPerfect(parts: Buffer[]): Buffer {
  let row = parts;
  while (row.length > 1) {
    const above: Buffer[] = [];
    for (let i = 0; i < row.length; i += 2) above.push(nodeHash(row[i] as Buffer, row[i + 1] as Buffer));
    row = above;
  }
  return row[0] as Buffer;
}

/** Runs a read: a projection's transaction, or the database. */
export type SelectRows = <Row>(statement: RawBuilder<Row>) => Promise<Row[]>;

export const selectFrom =
  (db: Kysely<object>): SelectRows =>
  async (statement) =>
    (await statement.execute(db)).rows;

/**
 * Reads the tenant's subtrees asked for, as a {@link NodeSource}: the stored ones under them in
 * one statement per table (leaves from audit_leaves), and those between stored levels hashed here.
 */
export async function readNodes(select: SelectRows, tenant: string, ids: readonly SubtreeId[]): Promise<NodeSource> {
  const stored = [...new Map(ids.flatMap(storedUnder).map((id) => [nodeKey(id), id])).values()];
  const found = new Map<string, Buffer>();
  const leaves = stored.filter((id) => id.level === 0);
  const above = stored.filter((id) => id.level > 0);
  if (leaves.length > 0) {
    const rows = await select(sql<{ index: string; hash: Uint8Array }>`
      select leaf_index::text as index, leaf_hash as hash from audit_leaves
      where tenant = ${tenant} and leaf_index = any(${leaves.map((id) => String(id.index))}::bigint[])`);
    for (const row of rows) found.set(`0/${row.index}`, Buffer.from(row.hash));
  }
  if (above.length > 0) {
    const rows = await select(sql<{ level: number; index: string; hash: Uint8Array }>`
      select n.level, n.index::text as index, n.hash from audit_nodes n
      join unnest(${above.map((id) => id.level)}::smallint[], ${above.map((id) => String(id.index))}::bigint[])
        as wanted(level, index) on n.level = wanted.level and n.index = wanted.index
      where n.tenant = ${tenant}`);
    for (const row of rows) found.set(`${row.level}/${row.index}`, Buffer.from(row.hash));
  }
  const storedHash = (id: SubtreeId): Buffer => {
    const hash = found.get(nodeKey(id));
    if (hash === undefined) throw new Error(`The audit tree of ${tenant} has no node ${nodeKey(id)}.`);
    return hash;
  };
  return (id) => {
    if (isStoredLevel(id.level)) return storedHash(id);
    const key = nodeKey(id);
    let hash = found.get(key);
    if (hash === undefined) {
      hash = foldPerfect(storedUnder(id).map(storedHash));
      found.set(key, hash);
    }
    return hash;
  };
}
