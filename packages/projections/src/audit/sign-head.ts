import type { ReadModelTx, TreeHead, TreeHeadSigner } from '@small-steps/event-store';
import { sql } from 'kysely';

/** Signs a tenant's tree head and stores it as its latest checkpoint; the head is no longer pending. */
export async function signHead(
  tx: Pick<ReadModelTx, 'execute'>,
  signer: TreeHeadSigner,
  head: Omit<TreeHead, 'keyId'>,
): Promise<void> {
  const signed = signer.sign(head);
  await tx.execute(sql`
    with signed as (
      insert into audit_checkpoints (tenant, tree_size, root_hash, head_timestamp, key_id, signature)
      values (${signed.tenant}, ${signed.treeSize}::bigint, ${signed.rootHash}, ${signed.timestamp}, ${signed.keyId},
        ${signed.signature})
    )
    delete from audit_pending_heads where tenant = ${signed.tenant}`);
}
