import {
  appendLeaves,
  auditLeaf,
  leafHash,
  type MerkleNode,
  perfectSubtrees,
  type ReadModelTx,
  type RecordedEvent,
  type TreeHeadSigner,
  treeHash,
} from '@small-steps/event-store';
import { sql } from 'kysely';
import type { Projection } from '../projection.ts';
import { arrayLiteral } from '../sql-arrays.ts';
import { isStoredLevel, nodeKey, readNodes } from './audit-nodes.ts';
import { type CheckpointPolicy, DEFAULT_CHECKPOINT_POLICY } from './checkpoint-policy.ts';
import { signHead } from './sign-head.ts';

export const AUDIT_TREE = 'audit_tree';

/**
 * Appends every event, in log order, to its tenant's Merkle tree (RFC 6962) and, after a batch,
 * signs the head of each tree that grew when its policy says so (else keeps the head as pending,
 * for a later batch or the schedule to sign). Kept from the log by the worker: a head signed after
 * the fact commits to what the log held then, so removing or editing an event later is seen.
 * Deterministic (the head's time is its last event's recordedAt, the policy is judged on
 * recordedAt, and Ed25519 signs the same bytes the same way), though a rebuild may sign heads at
 * other sizes if its batches differ.
 */
export function auditTreeProjection(
  signer: TreeHeadSigner,
  policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
): Projection {
  return {
    name: AUDIT_TREE,
    handles: 'every',
    tables: ['audit_leaves', 'audit_nodes', 'audit_checkpoints', 'audit_pending_heads'],
    async apply(events, tx) {
      if (!tx.canRead) throw new TypeError('The audit tree is kept from the log, not inside an append.');
      for (const [tenant, mine] of Map.groupBy(events, (event) => event.metadata.actor.tenant))
        await appendToTree(tx, signer, policy, tenant, mine);
    },
  };
}

async function appendToTree(
  tx: ReadModelTx,
  signer: TreeHeadSigner,
  policy: CheckpointPolicy,
  tenant: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const [head] = await tx.select<{ size: string; signed_size: string | null; oldest_unsigned_at: Date | null }>(sql`
    select coalesce((select max(leaf_index) + 1 from audit_leaves where tenant = ${tenant}), 0)::text as size,
      p.signed_size::text as signed_size, p.oldest_unsigned_at
    from (values (1)) as one (x) left join audit_pending_heads p on p.tenant = ${tenant}`);
  const size = Number(head?.size ?? 0);
  const known = await readNodes((statement) => tx.select(statement), tenant, perfectSubtrees(0, size));
  const frontier = perfectSubtrees(0, size).map((id) => ({ ...id, hash: known(id) }));
  const leaves = events.map((event) => leafHash(auditLeaf(event)));
  const grown = appendLeaves(size, frontier, leaves);
  // The leaves' hashes go with the leaves; audit_nodes keeps the stored levels above.
  const nodes = grown.nodes.filter((node) => node.level > 0 && isStoredLevel(node.level));
  const treeSize = size + events.length;

  // Arrays bound as one parameter each (unnest): a statement of any size is compiled and bound at once.
  await tx.execute(sql`
    insert into audit_leaves (tenant, leaf_index, event_id, stream_id, version, event_hash, leaf_hash)
    select ${tenant}, ${size}::bigint + n - 1, event_id, stream_id, version, event_hash, decode(leaf_hash, 'hex')
    from unnest(
      ${arrayLiteral(events, (e) => e.id)}::uuid[], ${arrayLiteral(events, (e) => e.streamId)}::text[],
      ${arrayLiteral(events, (e) => String(e.version))}::integer[], ${arrayLiteral(events, (e) => e.hash)}::text[],
      ${arrayLiteral(leaves, (h) => h.toString('hex'))}::text[]
    ) with ordinality as leaf(event_id, stream_id, version, event_hash, leaf_hash, n)`);
  if (nodes.length > 0) {
    await tx.execute(sql`
      insert into audit_nodes (tenant, level, index, hash)
      select ${tenant}, level, index, decode(hash, 'hex') from unnest(
        ${nodes.map((n) => n.level)}::smallint[], ${nodes.map((n) => String(n.index))}::bigint[],
        ${nodes.map((n) => n.hash.toString('hex'))}::text[]) as node(level, index, hash)`);
  }

  const edge = new Map(grown.frontier.map((node: MerkleNode) => [nodeKey(node), node.hash]));
  const rootHash = treeHash(treeSize, (id) => edge.get(nodeKey(id)) as Buffer).toString('hex');
  const last = events[events.length - 1] as RecordedEvent;
  const pending = { tenant, treeSize, rootHash, timestamp: last.recordedAt.toISOString() };
  // Without a pending head, every event before this batch is under a signed head.
  const signedSize = head?.signed_size == null ? size : Number(head.signed_size);
  const oldestUnsigned = head?.oldest_unsigned_at ?? (events[0] as RecordedEvent).recordedAt;
  const due =
    treeSize - signedSize >= policy.everyEvents ||
    last.recordedAt.getTime() - oldestUnsigned.getTime() >= policy.everySeconds * 1000;
  if (due) {
    await signHead(tx, signer, pending);
    return;
  }
  await tx.execute(sql`
    insert into audit_pending_heads (tenant, tree_size, root_hash, head_timestamp, signed_size, oldest_unsigned_at)
    values (${tenant}, ${treeSize}::bigint, ${rootHash}, ${pending.timestamp}, ${signedSize}::bigint,
      ${oldestUnsigned.toISOString()}::timestamptz)
    on conflict (tenant) do update set tree_size = excluded.tree_size, root_hash = excluded.root_hash,
      head_timestamp = excluded.head_timestamp`);
}
