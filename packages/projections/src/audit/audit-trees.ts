import type { Principal } from '@small-steps/domain';
import {
  type AuditLeafEvent,
  consistencyProof,
  consistencyProofNodes,
  inclusionProof,
  inclusionProofNodes,
  type SignedTreeHead,
} from '@small-steps/event-store';
import { type Kysely, sql } from 'kysely';
import { readNodes, type SelectRows, selectFrom } from './audit-nodes.ts';

/** An event's place in its tenant's tree, and the audit path from it to a signed head. */
export interface InclusionProof {
  event: AuditLeafEvent;
  leafIndex: number;
  treeSize: number;
  /** Hex hashes, the deepest sibling first (RFC 6962 §2.1.1). */
  proof: string[];
}

export interface ConsistencyProof {
  from: SignedTreeHead;
  to: SignedTreeHead;
  /** Hex hashes (RFC 6962 §2.1.2). */
  proof: string[];
}

interface CheckpointRow {
  tenant: string;
  tree_size: string;
  root_hash: string;
  head_timestamp: string;
  key_id: string;
  signature: string;
}

const headOf = (row: CheckpointRow): SignedTreeHead => ({
  tenant: row.tenant,
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash,
  timestamp: row.head_timestamp,
  keyId: row.key_id,
  signature: row.signature,
});

const hex = (hashes: Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

/**
 * Reads of the caller's tenant's audit tree: its signed heads and proofs against them. Proofs are
 * given only against a head that was signed, since a proof to an unsigned root proves nothing.
 */
export class AuditTrees {
  readonly #select: SelectRows;

  constructor(db: Kysely<object>) {
    this.#select = selectFrom(db);
  }

  async latest(principal: Principal): Promise<SignedTreeHead | null> {
    const [row] = await this.#select<CheckpointRow>(sql`
      select tenant, tree_size::text as tree_size, root_hash, head_timestamp, key_id, signature
      from audit_checkpoints where tenant = ${principal.tenant} order by audit_checkpoints.tree_size desc limit 1`);
    return row === undefined ? null : headOf(row);
  }

  async checkpoint(principal: Principal, treeSize: number): Promise<SignedTreeHead | null> {
    const [row] = await this.#select<CheckpointRow>(sql`
      select tenant, tree_size::text as tree_size, root_hash, head_timestamp, key_id, signature
      from audit_checkpoints where tenant = ${principal.tenant} and tree_size = ${treeSize}::bigint`);
    return row === undefined ? null : headOf(row);
  }

  /**
   * Inclusion proofs of events (by id) in the tree of `treeSize`; an event that is not in the
   * tenant's tree, or not within that size, is left out of the answer.
   */
  async inclusion(principal: Principal, eventIds: readonly string[], treeSize: number): Promise<InclusionProof[]> {
    const tenant = principal.tenant;
    if (eventIds.length === 0) return [];
    const leaves = await this.#select<{
      leaf_index: string;
      event_id: string;
      stream_id: string;
      version: number;
      event_hash: string;
    }>(sql`
      select leaf_index::text as leaf_index, event_id::text as event_id, stream_id, version, event_hash
      from audit_leaves
      where tenant = ${tenant} and event_id in (${sql.join(eventIds.map((id) => sql`${id}::uuid`))})
        and leaf_index < ${treeSize}::bigint
      order by audit_leaves.leaf_index`);
    const node = await readNodes(
      this.#select,
      tenant,
      leaves.flatMap((leaf) => inclusionProofNodes(Number(leaf.leaf_index), treeSize)),
    );
    return leaves.map((leaf) => ({
      event: { streamId: leaf.stream_id, version: leaf.version, id: leaf.event_id, hash: leaf.event_hash },
      leafIndex: Number(leaf.leaf_index),
      treeSize,
      proof: hex(inclusionProof(Number(leaf.leaf_index), treeSize, node)),
    }));
  }

  /** That the signed head of `from` events is the start of the one of `to`; null when either was not signed. */
  async consistency(principal: Principal, from: number, to: number): Promise<ConsistencyProof | null> {
    const [first, second] = await Promise.all([this.checkpoint(principal, from), this.checkpoint(principal, to)]);
    if (first === null || second === null || from > to) return null;
    const node = await readNodes(this.#select, principal.tenant, consistencyProofNodes(from, to));
    return { from: first, to: second, proof: hex(consistencyProof(from, to, node)) };
  }
}
